#include "coordinator/fleet_reload.hpp"

#include <spdlog/spdlog.h>

namespace fleet {

caf::error check_removals(const coordinator_state& s, const reload_plan& plan) {
  std::string held;
  for (const auto& id : plan.removed) {
    auto n = s.recorded.find(id);
    if (n == s.recorded.end() || n->second <= 0)
      continue;
    held += (held.empty() ? "" : "; ") + std::string{"server "} + id + " still holds "
            + std::to_string(n->second) + (n->second == 1 ? " client" : " clients");
  }
  if (held.empty())
    return caf::none;
  return make_error(ec::conflict,
                    "reload refused, nothing changed: " + held
                        + "; evacuate it (POST /api/v1/servers/{id}/evacuate) or drain it until "
                          "it is empty, then reload again, or keep it in the file");
}

void apply_reload(coordinator_state& s, const reload_plan& plan) {
  const auto& next = plan.effective;
  s.settings.health_check_interval = next.management.health_check_interval;
  s.settings.health_check_timeout = next.management.health_check_timeout;
  s.settings.healthy_threshold = next.management.healthy_threshold;
  s.settings.unhealthy_threshold = next.management.unhealthy_threshold;
  s.settings.max_retries = next.management.max_retries;
  s.settings.retry_delay = next.management.retry_delay;
  s.settings.max_batch = next.management.max_batch;
  s.registry->reconfigure(next.servers, s.settings);
  for (const auto& id : plan.removed) {
    // Links and drift of a server that is gone must not be served or reported.
    (void)s.links.update(id, {});
    s.drift.erase(id);
    s.last_saved_ms.erase(id);
    s.foreign.erase(id);
    if (auto left = s.stale.find(id); left != s.stale.end()) {
      s.log->warn("server {} left the configuration with {} stale copies of moved clients on "
                  "its panel; delete them there by hand",
                  id, left->second.size());
      s.stale.erase(left);
    }
  }
  auto summary = plan.summary();
  s.log->info("configuration reloaded: {} servers added, {} removed, {} changed{}",
              plan.added.size(), plan.removed.size(), plan.changed.size(),
              plan.restart_required.empty() ? ""
                                            : "; " + std::to_string(plan.restart_required.size())
                                                  + " changes need a restart");
  s.emit("config.reloaded", "", "", summary);
  // The share of healthy servers changed with the fleet.
  if (auto now = s.panic.update(s.registry->entries()); now.changed)
    s.log->warn("after the reload {} of {} enabled servers are healthy: panic mode {}", now.healthy,
                now.enabled, s.panic.active() ? "on" : "over");
}

} // namespace fleet
