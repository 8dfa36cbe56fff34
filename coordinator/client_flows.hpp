#pragma once

// The fleet-wide client flows of the coordinator actor: each one chooses or finds the panel,
// announces an intent, asks that panel's probe (which runs common/panel/panel_operations),
// and records the outcome. Decisions live in `coordinator_state` and its parts; these
// functions only sequence the messages.

#include "coordinator/coordinator_messages.hpp"
#include "coordinator/coordinator_state.hpp"

#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

namespace fleet {

using coordinator_self = caf::stateful_actor<coordinator_state>;

/// What a probe needs to put `record` on its panel (with the `client_flow` of its server).
/// Its panel quota is what that panel counted plus what is left fleet-wide (as if nothing
/// had been used yet with `usage_reset`), and it is disabled there while limited.
[[nodiscard]] client_order order_of(const coordinator_state& st, const client_record& record,
                                    bool usage_reset = false);

/// The probe of the server a client lives on, or why there is none.
[[nodiscard]] caf::expected<probe_actor> probe_of(const coordinator_state& st,
                                                  const std::string& server_id);

/// Counts a client operation sent to a panel for the metrics.
void count_call(coordinator_state& st, const char* operation, const caf::error& err);

/// Creates a client on the selected (or pinned) server; on a failure after the probe's
/// retries, and with `auto_failover` on, on the next eligible one. Delivers `client_record`.
void create_client(coordinator_self* self, caf::response_promise promise, create_request req);

/// Changes a client's limits or enable flag on its panel, then in the records.
void update_client(coordinator_self* self, caf::response_promise promise, client_patch patch);

/// Renews a client's quota and/or term (and forgets its usage so far if asked); the client
/// is enabled again on its panel when the result is within its limits. Delivers
/// `client_view` (without the panel's traffic).
void renew_client(coordinator_self* self, caf::response_promise promise, renewal plan);

/// Brings the panel copies of `emails` on `server_id` in line with their limits (enabled or
/// stopped, the remaining quota, the expiry). No intent: the record already says what the
/// copy must be, and a copy still off is amended again after the next check.
void amend_limits(coordinator_self* self, const std::string& server_id,
                  std::vector<std::string> emails);

/// Deletes a client from its panel, then from the records. Delivers `true`.
void delete_client(coordinator_self* self, caf::response_promise promise, std::string email);

/// The record of a client with its traffic from the panel. Delivers `client_view`.
void read_client(coordinator_self* self, caf::response_promise promise, std::string email);

/// Finishes or rolls back the mutations a crash left open by asking the panels: a created
/// client the panel has is recorded, one it does not have is forgotten; updates and deletes
/// are sent again (both are safe to repeat).
void recover_intents(coordinator_self* self);

/// Resolves the intents left waiting: for an agent whose probes are here now, or for a panel
/// that could not be asked the last time (tried again at every evacuation review).
void resume_intents(coordinator_self* self);

} // namespace fleet
