#pragma once

#include "common/duration.hpp"
#include "common/model/health.hpp"

#include <cstdint>
#include <random>
#include <string>

namespace fleet {

/// Every panel is checked once within this long after its probe starts.
inline constexpr millis first_check_window{1'000};

/// Result of feeding a check into the tracker.
enum class health_transition {
  /// The state is what it was and nothing is building up.
  unchanged,
  /// The state is what it was, but checks now point the other way (below the threshold).
  pending,
  /// The state changed.
  changed,
};

/// Timing and thresholds of active health checks (HAProxy's rise/fall, inter/fastinter/
/// downinter, Envoy's first-check fast path and jitter).
struct health_settings {
  /// Consecutive passes that make an unhealthy server healthy (rise).
  int64_t healthy_threshold = 2;
  /// Consecutive network failures that make a healthy server unhealthy (fall).
  int64_t unhealthy_threshold = 3;
  /// Check period of a stable server.
  millis interval{30'000};
  /// Check period while a change is pending (fastinter): interval / 3 by default.
  millis edge_interval{10'000};
  /// Check period of an unhealthy server (downinter): 2 x interval by default.
  millis down_interval{60'000};
  /// Longest wait between login attempts after repeated auth failures.
  millis auth_backoff_cap{600'000};
  /// Every delay is spread by +-jitter (share of the delay).
  double jitter = 0.1;

  /// Derives the settings from the configured interval and thresholds.
  [[nodiscard]] static health_settings from(millis interval, int64_t healthy_threshold,
                                            int64_t unhealthy_threshold);
};

/// The health state machine of one panel: unknown until the first check, which decides alone;
/// then `unhealthy_threshold` consecutive network failures to go down and `healthy_threshold`
/// consecutive passes to come back. Auth failures and a stopped xray take a server down at
/// once (they are facts, not flaps) and keep their own reason. Plain state, no I/O; the probe
/// actor owns one.
class health_tracker {
public:
  explicit health_tracker(health_settings settings);

  /// Feeds one check result; `error` says what failed (empty for passes).
  health_transition record(check_verdict verdict, const std::string& error = {});

  /// unknown, healthy or unhealthy.
  [[nodiscard]] server_state state() const noexcept { return state_; }
  [[nodiscard]] check_verdict last_verdict() const noexcept { return last_verdict_; }
  [[nodiscard]] const std::string& last_error() const noexcept { return last_error_; }
  [[nodiscard]] int64_t consecutive_failures() const noexcept { return failures_; }
  [[nodiscard]] int64_t consecutive_passes() const noexcept { return passes_; }
  /// Failed checks since start.
  [[nodiscard]] int64_t error_count() const noexcept { return error_count_; }

  /// Delay before the next check, by state, with jitter drawn from `rng`.
  [[nodiscard]] millis next_delay(std::mt19937_64& rng) const;

  /// Delay before the very first check: uniform over the first second (or the interval when
  /// it is shorter), so that a freshly started fleet is known within a second and many
  /// panels started together still spread their logins and checks.
  [[nodiscard]] millis first_delay(std::mt19937_64& rng) const;

private:
  health_settings settings_;
  server_state state_ = server_state::unknown;
  check_verdict last_verdict_ = check_verdict::passed;
  std::string last_error_;
  int64_t failures_ = 0;
  int64_t passes_ = 0;
  int64_t auth_failures_ = 0;
  int64_t error_count_ = 0;
};

} // namespace fleet
