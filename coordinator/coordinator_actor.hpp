#pragma once

#include "common/config/config.hpp"
#include "common/panel/http_engine.hpp"
#include "coordinator/coordinator_state.hpp"

#include <caf/stateful_actor.hpp>

namespace fleet {

/// The coordinator actor: spawns (linked) one probe per enabled panel, receives their health
/// reports, answers selections and fleet health, creates clients with failover, and on start
/// resolves intents a crash left open by asking the panels. A thin adapter over
/// `coordinator_state`; `state_ready` must have been initialised (`coordinator_state::init`)
/// and is moved in. `engine` must outlive the actor.
///
/// Messages: `(health_atom, health_report)`; `(select_atom, selection_criteria)` ->
/// `selection`; `(fleet_atom)` -> `std::vector<server_health>`; `(create_atom,
/// create_request)` -> `client_record`.
caf::behavior coordinator(caf::stateful_actor<coordinator_state>* self,
                          std::shared_ptr<coordinator_state> state_ready, fleet_config config,
                          http_engine* engine);

} // namespace fleet
