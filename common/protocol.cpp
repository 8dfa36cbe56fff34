#include "common/protocol.hpp"

namespace fleet {

void add_protocol_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<health_report>("fleet::health_report");
}

} // namespace fleet
