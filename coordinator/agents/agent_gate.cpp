#include "coordinator/agents/agent_gate.hpp"

#include "common/protocol.hpp"

namespace fleet {

caf::behavior agent_gate(caf::event_based_actor* self, caf::actor coordinator) {
  return {
      [=](hello_atom hello, uint32_t version, std::string& agent_id) {
        return self->delegate(coordinator, hello, version, std::move(agent_id));
      },
      [=](register_atom reg, std::string& agent_id, std::vector<agent_panel>& panels) {
        return self->delegate(coordinator, reg, std::move(agent_id), std::move(panels));
      },
      [=](health_atom health, health_report& report) {
        return self->delegate(coordinator, health, std::move(report));
      },
      [=](health_atom health, operations_report& report) {
        return self->delegate(coordinator, health, std::move(report));
      },
  };
}

} // namespace fleet
