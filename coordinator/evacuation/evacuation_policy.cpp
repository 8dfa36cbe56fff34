#include "coordinator/evacuation/evacuation_policy.hpp"

#include <algorithm>

namespace fleet {

evacuation_policy::evacuation_policy(millis evacuate_after, int64_t max_percent)
    : after_ms_(evacuate_after.count()), max_percent_(std::clamp<int64_t>(max_percent, 0, 100)) {
  // nop
}

size_t evacuation_policy::budget(size_t enabled) const noexcept {
  return std::max<size_t>(1, enabled * static_cast<size_t>(max_percent_) / 100);
}

void evacuation_policy::started_by_operator(const std::string& id, int64_t now_ms) {
  starts_.push_back(now_ms);
  evacuated_[id] = now_ms;
}

evacuation_review evacuation_policy::review(const std::vector<evacuation_candidate>& servers,
                                            bool panic, int64_t now_ms) {
  evacuation_review out;
  starts_.erase(std::remove_if(starts_.begin(), starts_.end(),
                               [&](int64_t t) { return t <= now_ms - after_ms_; }),
                starts_.end());
  size_t enabled_count = 0;
  for (const auto& s : servers) {
    enabled_count += s.enabled ? 1 : 0;
    if (!s.failing) {
      failing_since_.erase(s.id);
      evacuated_.erase(s.id);
    } else {
      failing_since_.emplace(s.id, now_ms);
    }
  }
  if (!enabled())
    return out;
  auto limit = budget(enabled_count);
  for (const auto& s : servers) {
    if (!s.failing || evacuated_.count(s.id) > 0)
      continue;
    auto due = failing_since_.at(s.id) + after_ms_;
    if (now_ms < due) {
      out.waiting[s.id] = due;
      continue;
    }
    if (panic) {
      out.held_back[s.id] = "panic mode: too few servers are healthy, so the coordinator's own "
                            "network is the likeliest cause; nothing is evacuated until enough "
                            "servers pass their checks";
      continue;
    }
    if (starts_.size() >= limit) {
      out.held_back[s.id] = std::to_string(starts_.size()) + " of at most " + std::to_string(limit)
                            + " evacuations started in the last "
                            + format_duration(millis{after_ms_}) + " (max_evacuation_percent "
                            + std::to_string(max_percent_) + "% of " + std::to_string(enabled_count)
                            + " servers); more failing at once points at a partition";
      continue;
    }
    starts_.push_back(now_ms);
    evacuated_[s.id] = now_ms;
    out.start.push_back(s.id);
  }
  return out;
}

} // namespace fleet
