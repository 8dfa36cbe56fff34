#include "coordinator/agents/agent_gate.hpp"

#include "common/logging.hpp"
#include "common/unexpected_messages.hpp"

namespace fleet {

gate_actor::behavior_type agent_gate(gate_actor::pointer self, caf::actor coordinator) {
  // Its type binds only senders in this process: a peer may send it anything.
  self->set_default_handler(log_and_drop(log_for("coordinator"), "the agent gate"));
  // Requests go on as they came (sender and request id kept): the coordinator answers the
  // agent itself.
  return {
      [=](hello_atom hello, uint32_t version, std::string& agent_id) -> caf::result<uint32_t> {
        auto promise = self->make_response_promise<uint32_t>();
        return promise.delegate(coordinator, hello, version, std::move(agent_id));
      },
      [=](register_atom reg, std::string& agent_id,
          std::vector<agent_panel>& panels) -> caf::result<std::vector<std::string>> {
        auto promise = self->make_response_promise<std::vector<std::string>>();
        return promise.delegate(coordinator, reg, std::move(agent_id), std::move(panels));
      },
      [=](health_atom health, health_report& report) {
        self->delegate(coordinator, health, std::move(report));
      },
      [=](health_atom health, operations_report& report) {
        self->delegate(coordinator, health, std::move(report));
      },
  };
}

} // namespace fleet
