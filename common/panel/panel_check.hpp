#pragma once

#include "common/panel/panel_client.hpp"
#include "common/protocol.hpp"

#include <functional>
#include <memory>

namespace fleet {

/// Runs one health check on a panel: session (logging in when needed), server status and the
/// inbound list. Calls `done` on the engine's I/O thread with a partial `health_report`:
/// `verdict`, `last_error`, `response_time_ms`, `checked_at_ms` and the panel data (client
/// counts, traffic, xray state, panel version). State fields are the tracker's to fill.
/// The client is shared so that it outlives a check in flight.
void run_check(std::shared_ptr<panel_client> client, std::function<void(health_report)> done);

/// Fills the panel data of `report` from an inbound list as of `now_ms`.
void summarise_inbounds(const std::vector<panel_inbound>& inbounds, int64_t now_ms,
                        health_report& report);

/// Maps a failed call to the check verdict: refused credentials are an auth failure, every
/// other failure a network failure.
[[nodiscard]] check_verdict verdict_of(const caf::error& err);

} // namespace fleet
