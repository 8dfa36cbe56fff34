#include "coordinator/ejection_cap.hpp"

#include <algorithm>

namespace fleet {

ejection_cap::ejection_cap(size_t fleet_size, int64_t max_percent)
    : limit_(std::max<size_t>(
        1, fleet_size * static_cast<size_t>(std::clamp<int64_t>(max_percent, 0, 100)) / 100)) {}

bool ejection_cap::admit(const std::string& server, report r) {
  if (r.passive && r.unhealthy) {
    if (ejected_.count(server) > 0)
      return true;
    if (held_.count(server) > 0)
      return false;
    if (ejected_.size() < limit_) {
      ejected_.insert(server);
      return true;
    }
    held_.insert(server);
    return false;
  }
  // Healthy again, or a failed active check: the server is no longer out (or kept in)
  // because of its client operations.
  auto over = !r.unhealthy || !r.check_passed;
  if (held_.count(server) > 0) {
    if (!over)
      return false; // the probe climbs back from the refused ejection; the server never left
    held_.erase(server);
    return true;
  }
  if (over)
    ejected_.erase(server);
  return true;
}

} // namespace fleet
