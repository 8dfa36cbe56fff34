#include "coordinator/selector/selection_engine.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace fleet {

selection_settings selection_settings::from(const management_settings& m, uint64_t seed) {
  selection_settings s;
  s.default_strategy = m.selection_strategy;
  s.load_balance_threshold = m.load_balance_threshold;
  s.geographic_routing = m.geographic_routing;
  s.region_fallbacks = m.region_fallbacks;
  s.seed = seed;
  return s;
}

selection_engine::selection_engine(const std::vector<server_config>& servers,
                                   selection_settings settings, selector_registry registry)
    : settings_(std::move(settings)), registry_(std::move(registry)) {
  for (const auto& s : servers)
    view_.add(s);
}

caf::expected<selector*> selection_engine::strategy(const std::string& name) {
  if (auto i = instances_.find(name); i != instances_.end())
    return i->second.get();
  auto made = registry_.make(name, selector_params{settings_.seed});
  if (!made)
    return std::move(made.error());
  auto* raw = made->get();
  instances_.emplace(name, std::move(*made));
  return raw;
}

request_filter selection_engine::filter_for(const selection_criteria& criteria) const {
  request_filter filter;
  filter.load_limit = settings_.load_balance_threshold;
  if (criteria.max_load)
    filter.load_limit = std::min(filter.load_limit, *criteria.max_load);
  filter.min_priority = criteria.min_priority;
  for (const auto& id : criteria.exclude_ids)
    if (auto slot = view_.find(id))
      filter.excluded.push_back(*slot);
  return filter;
}

std::vector<std::string> selection_engine::regions_for(const selection_criteria& criteria,
                                                       bool region_is_preference) const {
  // An empty string stands for "any region" (the whole fleet).
  if (criteria.region.empty())
    return {""};
  std::vector<std::string> chain{criteria.region};
  if (region_is_preference && settings_.geographic_routing) {
    if (auto i = settings_.region_fallbacks.find(criteria.region);
        i != settings_.region_fallbacks.end())
      chain.insert(chain.end(), i->second.begin(), i->second.end());
    chain.emplace_back();
  }
  return chain;
}

caf::expected<selection> selection_engine::select(const selection_criteria& criteria) {
  const auto& name = criteria.strategy.empty() ? settings_.default_strategy : criteria.strategy;
  auto chosen_strategy = strategy(name);
  if (!chosen_strategy)
    return std::move(chosen_strategy.error());
  auto filter = filter_for(criteria);
  auto answer = [&](slot_index slot, const std::string& decided_by) {
    const auto& s = view_.slot(slot);
    return selection{slot, s.id, s.name, s.region, decided_by, s.load()};
  };
  if (!criteria.preferred_id.empty())
    if (auto slot = view_.find(criteria.preferred_id);
        slot && view_.slot(*slot).available() && filter.accepts(*slot, view_.slot(*slot)))
      return answer(*slot, "preferred");
  auto* sel = *chosen_strategy;
  for (const auto& region : regions_for(criteria, sel->region_is_preference())) {
    auto scope
        = region.empty() ? std::optional<scope_index>{whole_fleet} : view_.find_scope(region);
    if (!scope)
      continue;
    if (auto slot = sel->select(view_, *scope, filter))
      return answer(*slot, std::string{sel->name()});
  }
  auto why = diagnose(criteria);
  return make_error(ec::no_server_available, why.message,
                    nlohmann::json{{"reason", why.reason}, {"counts", why.counts}}.dump());
}

no_server_diagnosis selection_engine::diagnose(const selection_criteria& criteria) const {
  no_server_diagnosis d;
  auto filter = filter_for(criteria);
  const auto* sel = [&]() -> const selector* {
    const auto& name = criteria.strategy.empty() ? settings_.default_strategy : criteria.strategy;
    auto i = instances_.find(name);
    return i == instances_.end() ? nullptr : i->second.get();
  }();
  auto regions = regions_for(criteria, sel != nullptr && sel->region_is_preference());
  auto any_region = std::find(regions.begin(), regions.end(), "") != regions.end();
  int64_t total = 0;
  for (slot_index i = 0; i < view_.size(); ++i) {
    const auto& s = view_.slot(i);
    if (s.retired)
      continue;
    ++total;
    const char* cause = nullptr;
    if (s.state != server_state::healthy)
      cause = to_string(s.state);
    else if (filter.is_excluded(i))
      cause = "excluded";
    else if (!any_region && std::find(regions.begin(), regions.end(), s.region) == regions.end())
      cause = "outside_region";
    else if (filter.below_priority(s))
      cause = "below_min_priority";
    else if (filter.is_full(s))
      cause = "full";
    else
      cause = "eligible";
    ++d.counts[cause];
  }
  auto only = [&](std::initializer_list<const char*> causes) {
    int64_t n = 0;
    for (const auto* c : causes)
      if (auto i = d.counts.find(c); i != d.counts.end())
        n += i->second;
    return total > 0 && n == total;
  };
  if (total == 0)
    d.reason = "no_servers";
  else if (only({"disabled"}))
    d.reason = "all_disabled";
  else if (only({"draining"}))
    d.reason = "all_draining";
  else if (only({"unknown", "unhealthy", "unreachable"}))
    d.reason = "all_unhealthy";
  else if (only({"excluded"}))
    d.reason = "all_excluded";
  else if (only({"outside_region"}))
    d.reason = "none_in_region";
  else if (only({"below_min_priority"}))
    d.reason = "all_below_min_priority";
  else if (only({"full"}))
    d.reason = "all_full";
  else
    d.reason = "mixed";
  std::string parts;
  char limit[16];
  std::snprintf(limit, sizeof(limit), "%.2f", filter.load_limit);
  for (const auto& [cause, n] : d.counts) {
    auto text = std::to_string(n) + " " + cause;
    if (cause == "full")
      text += std::string{" (load >= "} + limit + ")";
    else if (cause == "outside_region") {
      std::string wanted;
      for (const auto& r : regions)
        wanted += (wanted.empty() ? "" : ", ") + r;
      text += " (wanted " + wanted + ")";
    } else if (cause == "below_min_priority")
      text += " (min_priority " + std::to_string(*criteria.min_priority) + ")";
    parts += (parts.empty() ? "" : ", ") + text;
  }
  d.message = "no server available";
  if (!criteria.user_id.empty())
    d.message += " for user " + criteria.user_id;
  d.message += total == 0 ? ": the fleet has no servers"
                          : ": " + std::to_string(total) + " servers: " + parts;
  return d;
}

} // namespace fleet
