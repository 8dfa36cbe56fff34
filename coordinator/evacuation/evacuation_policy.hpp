#pragma once

#include "common/duration.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fleet {

/// What the policy is told about one server at a review.
struct evacuation_candidate {
  std::string id;
  /// Enabled in the configuration and by the operator (active or draining count).
  bool enabled = true;
  /// Active checks hold it unavailable while the operator has not drained or disabled it:
  /// the one case in which its clients are moved without being asked.
  bool failing = false;
};

/// The outcome of one review.
struct evacuation_review {
  /// Servers whose evacuation starts now.
  std::vector<std::string> start;
  /// Servers due for evacuation that the partition rule holds back, with the reason.
  std::map<std::string, std::string> held_back;
  /// Servers failing for less than `evacuate_after`, with the Unix ms at which they are due.
  std::map<std::string, int64_t> waiting;
};

/// When a failing server's clients are moved on their own, and the rule that keeps a
/// partition of the coordinator's own network from emptying the fleet: a server is due after
/// failing for `evacuate_after` without a pause; nothing starts in panic mode, and at most
/// `max(1, max_percent % of the enabled servers)` evacuations start per `evacuate_after`
/// window. A server evacuated once is not evacuated again until it has recovered and failed
/// anew. Plain state; time is the caller's (Unix ms of the coordinator's clock).
class evacuation_policy {
public:
  evacuation_policy(millis evacuate_after, int64_t max_percent);

  /// Whether automatic evacuation is on at all (`evacuate_after` > 0).
  [[nodiscard]] bool enabled() const noexcept { return after_ms_ > 0; }

  /// Looks at the fleet as of `now_ms` and says which evacuations start. Started ones count
  /// against the window at once.
  [[nodiscard]] evacuation_review review(const std::vector<evacuation_candidate>& servers,
                                         bool panic, int64_t now_ms);

  /// Counts an evacuation the operator started, so that automatic ones keep within the
  /// window's budget.
  void started_by_operator(const std::string& id, int64_t now_ms);

  /// How many evacuations may start per window with `enabled` servers.
  [[nodiscard]] size_t budget(size_t enabled) const noexcept;

private:
  int64_t after_ms_;
  int64_t max_percent_;
  /// When each server was first seen failing in its current run of failures.
  std::map<std::string, int64_t> failing_since_;
  /// Servers evacuated during their current run of failures.
  std::map<std::string, int64_t> evacuated_;
  /// Start times of evacuations, for the window's budget.
  std::vector<int64_t> starts_;
};

} // namespace fleet
