#pragma once

#include "common/config/config.hpp"
#include "common/panel/http_engine.hpp"
#include "coordinator/client_flows.hpp"
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
/// `selection`; `(fleet_atom)` -> `std::vector<server_health>`; `(admin_atom, id,
/// admin_state)` -> `server_health`; `(create_atom, create_request)`, `(update_atom,
/// client_patch)` -> `client_record`; `(delete_atom, email)` -> `bool`; `(get_atom, email)`
/// -> `client_view`; `(get_atom, client_filter)` -> `std::vector<client_record>`;
/// `(drift_atom)` -> `std::vector<drift_report>`; `(reconcile_atom[, id])` reconciles now.
/// Every `reconcile_interval` it reconciles every healthy or draining server, and a server
/// also when it recovers or its panel holds fewer clients than recorded.
caf::behavior coordinator(coordinator_self* self, std::shared_ptr<coordinator_state> state_ready,
                          fleet_config config, http_engine* engine);

} // namespace fleet
