#include "coordinator/cli/config_report.hpp"

#include "common/panel/panel_url.hpp"

#include <iomanip>
#include <set>

namespace fleet {

void print_summary(std::ostream& out, const fleet_config& config) {
  const auto& m = config.management;
  size_t enabled = 0;
  std::set<std::string> regions;
  for (const auto& s : config.servers) {
    enabled += s.enabled ? 1 : 0;
    if (!s.region.empty())
      regions.insert(s.region);
  }
  out << "config ok: " << config.servers.size() << " servers (" << enabled << " enabled) in "
      << regions.size() << " regions\n"
      << "  strategy " << m.selection_strategy << ", load threshold " << m.load_balance_threshold
      << ", checks every " << format_duration(m.health_check_interval) << " (timeout "
      << format_duration(m.health_check_timeout) << ", rise " << m.healthy_threshold << ", fall "
      << m.unhealthy_threshold << "), retries " << m.max_retries << " every "
      << format_duration(m.retry_delay) << ", failover " << (m.auto_failover ? "on" : "off")
      << ", geographic routing " << (m.geographic_routing ? "on" : "off") << '\n'
      << "  API on " << config.coordinator.listen << " (" << config.coordinator.api_tokens.size()
      << " tokens), data in " << config.coordinator.data_dir << '\n';
  const auto& c = config.coordinator;
  out << "  subscriptions "
      << (c.subscription_listen.empty() ? std::string{"off"} : "on " + c.subscription_listen)
      << ", evacuation "
      << (m.evacuate_after.count() > 0
              ? "after " + format_duration(m.evacuate_after) + " (at most "
                    + std::to_string(m.max_evacuation_percent) + "% of the fleet per window)"
              : std::string{"only on request"})
      << ", backups "
      << (c.backup.dir.empty()
              ? std::string{"only on request"}
              : "every " + format_duration(c.backup.every) + " into " + c.backup.dir + " (keeping "
                    + std::to_string(c.backup.keep) + ")")
      << '\n';
  out << std::left << "  " << std::setw(12) << "ID" << std::setw(18) << "NAME" << std::setw(34)
      << "URL" << std::setw(8) << "REGION" << std::setw(6) << "PRIO" << std::setw(9) << "MAX"
      << std::setw(7) << "AUTH"
      << "STATE\n";
  for (const auto& s : config.servers) {
    auto url = panel_base_url(s);
    out << "  " << std::setw(12) << s.id << std::setw(18) << s.name << std::setw(34) << url
        << std::setw(8) << (s.region.empty() ? "-" : s.region) << std::setw(6) << s.priority
        << std::setw(9) << (s.max_clients == 0 ? std::string{"-"} : std::to_string(s.max_clients))
        << std::setw(7) << (s.api_token.empty() ? "login" : "token")
        << (s.enabled ? "enabled" : "disabled") << (s.agent.empty() ? "" : " via agent " + s.agent)
        << '\n';
  }
}

nlohmann::json problems_json(const field_problems& problems) {
  auto out = nlohmann::json::array();
  for (const auto& p : problems)
    out.push_back({{"level", p.level == field_problem::severity::error ? "error" : "warning"},
                   {"field", p.field},
                   {"reason", p.reason}});
  return out;
}

} // namespace fleet
