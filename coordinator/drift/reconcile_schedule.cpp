#include "coordinator/drift/reconcile_schedule.hpp"

namespace fleet {

bool reconcile_schedule::wants(const health_report& r, bool became_healthy,
                               int64_t recorded) const {
  if (r.verdict != check_verdict::passed || every_.count() <= 0 || running(r.server_id))
    return false;
  if (became_healthy)
    return true;
  // Fewer clients on the panel than recorded: something was lost (a wipe, an old backup).
  if (r.panel.total_clients >= recorded)
    return false;
  auto last = last_start_ms_.find(r.server_id);
  return last == last_start_ms_.end() || r.checked_at_ms - last->second >= check_interval_.count();
}

bool reconcile_schedule::start(const std::string& server, int64_t now_ms) {
  if (!running_.insert(server).second)
    return false;
  last_start_ms_[server] = now_ms;
  return true;
}

} // namespace fleet
