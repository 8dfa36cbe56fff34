#pragma once

#include "common/panel/panel_client.hpp"
#include "common/protocol.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace fleet {

/// What one health check of a panel found: the verdict every user of checks shares (the
/// probe actor and `--probe`) and what was read on the way.
struct check_result {
  check_verdict verdict = check_verdict::network_failure;
  /// Why the check did not pass; empty when it did. Never contains secrets.
  std::string last_error;
  /// The failed call, for network_failure and auth_failure.
  caf::error failure;
  /// `server/status`, when it could be read.
  std::optional<panel_status> status;
  /// The inbound list, when it could be read.
  std::optional<std::vector<panel_inbound>> inbounds;
  std::chrono::milliseconds elapsed{0};
  int64_t checked_at_ms = 0;

  [[nodiscard]] bool passed() const noexcept { return verdict == check_verdict::passed; }
};

/// Runs one health check on a panel: session (logging in when needed), server status and the
/// inbound list; a panel whose xray is not running fails with `xray_down`. Calls `done` on
/// the engine's I/O thread. The client is shared so that it outlives a check in flight.
void check_panel(std::shared_ptr<panel_client> client, std::function<void(check_result)> done);

/// Runs `check_panel` and calls `done` with a partial `health_report`: `verdict`,
/// `last_error`, `response_time_ms`, `checked_at_ms` and the panel data (client counts,
/// traffic, xray state, panel version). State fields are the tracker's to fill.
void run_check(std::shared_ptr<panel_client> client, std::function<void(health_report)> done);

/// Fills the panel data of `report` from an inbound list as of `now_ms`.
void summarise_inbounds(const std::vector<panel_inbound>& inbounds, int64_t now_ms,
                        health_report& report);

/// Maps a failed call to the check verdict: refused credentials are an auth failure, every
/// other failure a network failure.
[[nodiscard]] check_verdict verdict_of(const caf::error& err);

} // namespace fleet
