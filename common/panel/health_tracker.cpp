#include "common/panel/health_tracker.hpp"

#include <algorithm>
#include <cmath>

namespace fleet {

health_settings health_settings::from(millis interval, int64_t healthy_threshold,
                                      int64_t unhealthy_threshold) {
  health_settings s;
  s.interval = interval;
  s.edge_interval = std::max(millis{100}, interval / 3);
  s.down_interval = interval * 2;
  s.healthy_threshold = healthy_threshold;
  s.unhealthy_threshold = unhealthy_threshold;
  return s;
}

health_tracker::health_tracker(health_settings settings) : settings_(settings) {
  // nop
}

health_transition health_tracker::record(check_verdict verdict, const std::string& error) {
  last_verdict_ = verdict;
  if (verdict == check_verdict::passed) {
    failures_ = 0;
    auth_failures_ = 0;
    ++passes_;
    last_error_.clear();
    if (state_ == server_state::healthy)
      return health_transition::unchanged;
    // The very first check decides alone; afterwards it takes `healthy_threshold` passes.
    if (state_ == server_state::unknown || passes_ >= settings_.healthy_threshold) {
      state_ = server_state::healthy;
      return health_transition::changed;
    }
    return health_transition::pending;
  }
  passes_ = 0;
  ++failures_;
  ++error_count_;
  last_error_ = error;
  if (verdict == check_verdict::auth_failure)
    ++auth_failures_;
  if (state_ == server_state::unhealthy)
    return health_transition::unchanged;
  auto definitive = verdict != check_verdict::network_failure;
  if (state_ == server_state::unknown || definitive || failures_ >= settings_.unhealthy_threshold) {
    state_ = server_state::unhealthy;
    return health_transition::changed;
  }
  return health_transition::pending;
}

millis health_tracker::next_delay(std::mt19937_64& rng) const {
  millis base = settings_.interval;
  auto pending = (state_ == server_state::healthy && failures_ > 0)
                 || (state_ == server_state::unhealthy && passes_ > 0);
  if (pending) {
    base = settings_.edge_interval;
  } else if (state_ == server_state::unhealthy) {
    base = settings_.down_interval;
    if (auth_failures_ > 0) {
      // Do not hammer a login that was refused: double the wait per refusal, up to the cap.
      auto factor = std::pow(2.0, static_cast<double>(std::min<int64_t>(auth_failures_ - 1, 20)));
      auto grown = static_cast<double>(settings_.interval.count()) * factor;
      base = millis{static_cast<millis::rep>(
          std::min(grown, static_cast<double>(settings_.auth_backoff_cap.count())))};
    }
  }
  std::uniform_real_distribution<double> spread{1.0 - settings_.jitter, 1.0 + settings_.jitter};
  return millis{static_cast<millis::rep>(static_cast<double>(base.count()) * spread(rng))};
}

millis health_tracker::first_delay(std::mt19937_64& rng) const {
  auto window = std::min(settings_.interval, first_check_window);
  std::uniform_int_distribution<millis::rep> spread{0,
                                                    std::max<millis::rep>(window.count() - 1, 0)};
  return millis{spread(rng)};
}

} // namespace fleet
