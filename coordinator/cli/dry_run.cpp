#include "coordinator/cli/dry_run.hpp"

#include "coordinator/selector/selection_engine.hpp"

#include <iomanip>
#include <map>

namespace fleet {

namespace {

struct sample {
  const char* label;
  selection_criteria criteria;
};

std::vector<sample> samples(const fleet_config& config) {
  std::vector<sample> result;
  auto user = [](int n) { return std::to_string(10'000 + n); };
  for (int i = 0; i < 3; ++i)
    result.push_back({"default strategy", {user(i), "", {}, {}, "", {}, ""}});
  std::map<std::string, int> regions;
  for (const auto& s : config.servers)
    if (!s.region.empty())
      ++regions[s.region];
  for (const auto& [region, count] : regions)
    result.push_back({"geographic", {user(10), region, {}, {}, "", {}, "geographic"}});
  result.push_back({"geographic, unknown region", {user(11), "ZZ", {}, {}, "", {}, "geographic"}});
  for (const char* strategy : {"round_robin", "random", "priority"})
    result.push_back({strategy, {user(20), "", {}, {}, "", {}, strategy}});
  if (!config.servers.empty()) {
    const auto& first = config.servers.front().id;
    result.push_back({"preferred server", {user(30), "", {}, {}, first, {}, ""}});
    result.push_back({"excluding it", {user(31), "", {}, {first}, "", {}, ""}});
  }
  return result;
}

} // namespace

void print_dry_run(std::ostream& out, const fleet_config& config) {
  selection_engine engine{config.servers, selection_settings::from(config.management, 42)};
  auto& view = engine.view();
  for (slot_index i = 0; i < view.size(); ++i)
    if (view.slot(i).state != server_state::disabled)
      view.set_state(i, server_state::healthy);
  out << "dry run: every enabled panel assumed healthy and empty; no panel is contacted\n";
  out << std::left << "  " << std::setw(28) << "REQUEST" << std::setw(8) << "USER" << std::setw(8)
      << "REGION"
      << "CHOSEN\n";
  for (const auto& [label, criteria] : samples(config)) {
    out << "  " << std::setw(28) << label << std::setw(8) << criteria.user_id << std::setw(8)
        << (criteria.region.empty() ? "-" : criteria.region);
    auto chosen = engine.select(criteria);
    if (!chosen) {
      out << message_of(chosen.error()) << '\n';
      continue;
    }
    engine.record_placement(chosen->slot);
    out << "server " << chosen->server_id << " (" << chosen->name << ", "
        << (chosen->region.empty() ? "no region" : chosen->region) << ") by " << chosen->strategy
        << '\n';
  }
}

} // namespace fleet
