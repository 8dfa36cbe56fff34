#pragma once

#include <cstdint>
#include <vector>

namespace fleet {

/// What the checks of one server said during one minute.
struct health_sample {
  /// Start of the minute (Unix ms, a multiple of 60 000).
  int64_t minute_ms = 0;
  int64_t checks = 0;
  int64_t passed = 0;
  /// Sum and maximum of the response times of the passed checks (ms).
  int64_t response_ms_sum = 0;
  int64_t response_ms_max = 0;

  /// Share of passed checks in this minute, 0..1.
  [[nodiscard]] double availability() const noexcept;
  /// Mean response time of the passed checks (ms); 0 when none passed.
  [[nodiscard]] int64_t mean_response_ms() const noexcept;
};

/// A server's recent health, one sample per minute, over a fixed window (24 h by default):
/// a ring of per-minute slots, so memory stays bounded whatever the check interval, and a
/// minute older than the window is overwritten by the one that replaces it. Kept in memory
/// only: after a restart the history starts again. Plain state; single-threaded.
class health_history {
public:
  static constexpr int64_t minute_ms = 60'000;
  /// 24 hours of minutes.
  static constexpr int64_t day_minutes = 24 * 60;

  /// A history of the last `minutes` minutes (at least 1).
  explicit health_history(int64_t minutes = day_minutes);

  /// Counts one check made at `checked_at_ms`. A check older than the window (as seen from
  /// the newest one recorded) is ignored; `response_ms` counts only when the check passed.
  void record(int64_t checked_at_ms, bool passed, int64_t response_ms);

  /// The minutes with at least one check within the window that ends at `now_ms`, oldest
  /// first.
  [[nodiscard]] std::vector<health_sample> window(int64_t now_ms) const;

  [[nodiscard]] int64_t minutes() const noexcept { return minutes_; }

private:
  /// Compact slot: the minute's index since the epoch and its counters.
  struct slot {
    int32_t minute = -1;
    uint16_t checks = 0;
    uint16_t passed = 0;
    uint32_t response_ms_sum = 0;
    uint32_t response_ms_max = 0;
  };
  int64_t minutes_;
  int64_t newest_ = -1;
  /// Allocated at the first check, so a server never checked costs nothing.
  std::vector<slot> ring_;
};

} // namespace fleet
