#pragma once

// Evacuation as the coordinator actor runs it: which failing servers are due (the policy in
// coordinator/evacuation/), waves of moves to the servers the selection engine chooses, each
// move under an intent like a create, and the deletion of the copies moves leave behind.

#include "coordinator/client_flows.hpp"
#include "coordinator/evacuation/evacuation_board.hpp"

namespace fleet {

/// Starts the evacuations the policy says are due and records the waiting and held-back
/// ones; then runs a wave if none is running.
void review_evacuations(coordinator_self* self);

/// Evacuates `server_id` on the operator's request, in any state (a live panel keeps its
/// clients until each one is on its new server, then loses it).
[[nodiscard]] caf::expected<evacuation_status> evacuate_server(coordinator_self* self,
                                                               const std::string& server_id);

/// Runs the next wave of moves unless one is running.
void run_wave(coordinator_self* self);

/// Deletes the copies moves left on `server_id`. With `on_panel` (lower-case emails from an
/// inventory), only those it still holds, forgetting the others; without it, all of them. A
/// copy that cannot be deleted is disabled and tried again at the next passed check.
void clean_stale_copies(coordinator_self* self, const std::string& server_id,
                        const std::set<std::string>* on_panel = nullptr);

/// Finishes or rolls back a move a crash left open: the client is recorded where the new
/// panel has it, or stays where it was.
void resolve_move(coordinator_self* self, const intent_record& intent, const probe_actor& probe);

} // namespace fleet
