#include "coordinator/registry/panic_mode.hpp"

namespace fleet {

panic_mode::reading panic_mode::update(const std::vector<server_entry>& servers) {
  reading r;
  for (const auto& e : servers) {
    if (e.admin == admin_state::disabled)
      continue;
    // Until every enabled server has been checked once there is nothing to panic about.
    if (e.flags.has(health_flag::unchecked) && !e.flags.has(health_flag::agent_lost))
      return r;
    ++r.enabled;
    r.healthy += e.flags.none() ? 1U : 0U;
  }
  auto now = r.enabled > 0
             && static_cast<double>(r.healthy) < threshold_ * static_cast<double>(r.enabled);
  r.changed = now != active_;
  active_ = now;
  return r;
}

} // namespace fleet
