#include "common/protocol.hpp"

namespace fleet {

void add_protocol_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<health_report>("fleet::health_report");
  cfg.add_message_type<inbound_profile>("fleet::inbound_profile");
  cfg.add_message_type<client_counters>("fleet::client_counters");
  cfg.add_message_type<std::vector<client_counters>>("std::vector<fleet::client_counters>");
  cfg.add_message_type<std::vector<inbound_profile>>("std::vector<fleet::inbound_profile>");
  cfg.add_message_type<operations_report>("fleet::operations_report");
  cfg.add_message_type<client_order>("fleet::client_order");
  cfg.add_message_type<client_usage>("fleet::client_usage");
  cfg.add_message_type<panel_entry>("fleet::panel_entry");
  cfg.add_message_type<std::vector<panel_entry>>("std::vector<fleet::panel_entry>");
  cfg.add_message_type<std::vector<std::string>>("std::vector<std::string>");
  cfg.add_message_type<agent_panel>("fleet::agent_panel");
  cfg.add_message_type<std::vector<agent_panel>>("std::vector<fleet::agent_panel>");
}

} // namespace fleet
