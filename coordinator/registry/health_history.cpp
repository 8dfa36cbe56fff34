#include "coordinator/registry/health_history.hpp"

#include <algorithm>
#include <limits>

namespace fleet {

namespace {

/// `a + b`, kept within the range of `T` (a minute never holds that much, but a clock jump or
/// an absurd figure must not wrap around).
template <class T>
T saturated_add(T a, int64_t b) {
  auto sum = static_cast<int64_t>(a) + std::max<int64_t>(b, 0);
  return static_cast<T>(std::min<int64_t>(sum, std::numeric_limits<T>::max()));
}

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - (a % b != 0 && a < 0 ? 1 : 0);
}

} // namespace

double health_sample::availability() const noexcept {
  return checks > 0 ? static_cast<double>(passed) / static_cast<double>(checks) : 0.0;
}

int64_t health_sample::mean_response_ms() const noexcept {
  return passed > 0 ? response_ms_sum / passed : 0;
}

health_history::health_history(int64_t minutes) : minutes_(std::max<int64_t>(minutes, 1)) {}

void health_history::record(int64_t checked_at_ms, bool passed, int64_t response_ms) {
  auto minute = floor_div(checked_at_ms, minute_ms);
  if (minute < 0 || minute > std::numeric_limits<int32_t>::max())
    return;
  if (newest_ >= 0 && minute <= newest_ - minutes_)
    return; // older than the window
  if (ring_.empty())
    ring_.resize(static_cast<size_t>(minutes_));
  newest_ = std::max(newest_, minute);
  auto& s = ring_[static_cast<size_t>(minute % minutes_)];
  if (s.minute != minute)
    s = slot{static_cast<int32_t>(minute), 0, 0, 0, 0};
  s.checks = saturated_add(s.checks, 1);
  if (!passed)
    return;
  s.passed = saturated_add(s.passed, 1);
  s.response_ms_sum = saturated_add(s.response_ms_sum, response_ms);
  s.response_ms_max = std::max(s.response_ms_max, saturated_add(uint32_t{0}, response_ms));
}

std::vector<health_sample> health_history::window(int64_t now_ms) const {
  auto last = floor_div(now_ms, minute_ms);
  std::vector<health_sample> out;
  for (const auto& s : ring_)
    if (s.minute >= 0 && s.minute <= last && s.minute > last - minutes_ && s.checks > 0)
      out.push_back({int64_t{s.minute} * minute_ms, s.checks, s.passed, s.response_ms_sum,
                     s.response_ms_max});
  std::sort(out.begin(), out.end(), [](const health_sample& a, const health_sample& b) {
    return a.minute_ms < b.minute_ms;
  });
  return out;
}

} // namespace fleet
