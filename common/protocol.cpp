#include "common/protocol.hpp"

namespace fleet {

void add_protocol_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<health_report>("fleet::health_report");
  cfg.add_message_type<client_order>("fleet::client_order");
  cfg.add_message_type<std::vector<std::string>>("std::vector<std::string>");
}

} // namespace fleet
