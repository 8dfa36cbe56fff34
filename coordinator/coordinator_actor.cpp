#include "coordinator/coordinator_actor.hpp"

#include "coordinator/coordinator_messages.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/result.hpp>

namespace fleet {

caf::behavior coordinator(caf::stateful_actor<coordinator_state>* self,
                          std::shared_ptr<coordinator_state> state_ready) {
  self->state = std::move(*state_ready);
  return {
    [=](health_atom, const health_report& report) { self->state.on_health(report); },
    [=](select_atom, const selection_criteria& criteria) -> caf::result<selection> {
      auto chosen = self->state.select(criteria);
      if (!chosen)
        return std::move(chosen.error());
      return std::move(*chosen);
    },
    [=](fleet_atom) { return self->state.fleet_health(); },
  };
}

} // namespace fleet
