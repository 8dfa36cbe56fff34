#pragma once

#include "common/duration.hpp"
#include "common/protocol.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace fleet {

/// When each server is compared with the fleet's records: when it returns to health, when its
/// panel holds fewer clients than were recorded there (at most once per check interval, as
/// creates and deletes race with the count), and never twice at once. Periodic runs are the
/// caller's timer. Plain state; single-threaded (owned by the coordinator actor).
class reconcile_schedule {
public:
  /// `every` 0 or less turns reconciliation off.
  reconcile_schedule(millis every, millis check_interval)
      : every_(every), check_interval_(check_interval) {}

  /// Whether `report` calls for reconciling its server now; `recorded` is the number of
  /// clients the fleet recorded there.
  [[nodiscard]] bool wants(const health_report& report, bool became_healthy,
                           int64_t recorded) const;

  /// Marks a run on `server` started at `now_ms`; false when one is running already.
  bool start(const std::string& server, int64_t now_ms);

  /// Marks the run on `server` finished.
  void finish(const std::string& server) { running_.erase(server); }

  [[nodiscard]] bool running(const std::string& server) const { return running_.count(server) > 0; }

private:
  millis every_;
  millis check_interval_;
  std::set<std::string> running_;
  /// When each server's last run started (Unix ms).
  std::map<std::string, int64_t> last_start_ms_;
};

} // namespace fleet
