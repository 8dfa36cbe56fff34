#pragma once

#include "common/config/config.hpp"
#include "coordinator/coordinator_state.hpp"

#include <caf/stateful_actor.hpp>

namespace fleet {

/// The coordinator actor: receives probes' health reports, answers selections and fleet
/// health. A thin adapter over `coordinator_state`; `state_ready` must have been initialised
/// (see `coordinator_state::init`) and is moved in.
///
/// Messages: `(health_atom, health_report)`; `(select_atom, selection_criteria)` ->
/// `selection` or an error; `(fleet_atom)` -> `std::vector<server_health>`.
caf::behavior coordinator(caf::stateful_actor<coordinator_state>* self,
                          std::shared_ptr<coordinator_state> state_ready);

} // namespace fleet
