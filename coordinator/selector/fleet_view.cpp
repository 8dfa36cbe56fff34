#include "coordinator/selector/fleet_view.hpp"

#include <algorithm>

namespace fleet {

double server_slot::load() const noexcept {
  if (max_clients <= 0)
    return 0.0;
  return static_cast<double>(clients()) / static_cast<double>(max_clients);
}

slot_index fleet_view::add(const server_config& config) {
  auto index = static_cast<slot_index>(slots_.size());
  server_slot s;
  s.id = config.id;
  s.name = config.name;
  s.region = config.region;
  s.priority = config.priority;
  s.max_clients = config.max_clients;
  s.weight = config.weight;
  s.state = config.enabled ? server_state::unknown : server_state::disabled;
  s.region_scope = scope_for(config.region);
  slots_.push_back(std::move(s));
  by_id_.emplace(config.id, index);
  return index;
}

scope_index fleet_view::scope_for(const std::string& region) {
  if (region.empty())
    return whole_fleet;
  auto [it, added] = by_region_.emplace(region, static_cast<scope_index>(scopes_.size()));
  if (added) {
    scopes_.emplace_back();
    scopes_.back().region = region;
  }
  return it->second;
}

void fleet_view::reconfigure(slot_index i, const server_config& config) {
  // Out of every order first: the keys depend on capacity and priority.
  auto was = slots_[i].available();
  if (was)
    erase(i);
  auto& s = slots_[i];
  s.name = config.name;
  s.priority = config.priority;
  s.max_clients = config.max_clients;
  s.weight = config.weight;
  s.retired = false;
  if (s.region != config.region) {
    s.region = config.region;
    s.region_scope = scope_for(config.region);
  }
  if (was)
    insert(i);
}

void fleet_view::retire(slot_index i) {
  set_state(i, server_state::disabled);
  slots_[i].retired = true;
}

std::optional<slot_index> fleet_view::find(const std::string& id) const {
  if (auto i = by_id_.find(id); i != by_id_.end())
    return i->second;
  return std::nullopt;
}

std::optional<scope_index> fleet_view::find_scope(const std::string& region) const {
  if (auto i = by_region_.find(region); i != by_region_.end())
    return i->second;
  return std::nullopt;
}

load_key fleet_view::key_of(slot_index i) const {
  const auto& s = slots_[i];
  return {s.load(), s.clients(), i};
}

void fleet_view::insert(slot_index i) {
  auto key = key_of(i);
  const auto& s = slots_[i];
  for (auto scope : {whole_fleet, s.region_scope}) {
    auto& sc = scopes_[scope];
    sc.members.insert(std::lower_bound(sc.members.begin(), sc.members.end(), i), i);
    sc.by_load.insert(key);
    sc.tiers[s.priority].insert(key);
    ++sc.generation;
    if (s.region_scope == whole_fleet)
      break;
  }
}

void fleet_view::erase(slot_index i) {
  auto key = key_of(i);
  const auto& s = slots_[i];
  for (auto scope : {whole_fleet, s.region_scope}) {
    auto& sc = scopes_[scope];
    auto pos = std::lower_bound(sc.members.begin(), sc.members.end(), i);
    if (pos != sc.members.end() && *pos == i)
      sc.members.erase(pos);
    sc.by_load.erase(key);
    if (auto tier = sc.tiers.find(s.priority); tier != sc.tiers.end()) {
      tier->second.erase(key);
      if (tier->second.empty())
        sc.tiers.erase(tier);
    }
    ++sc.generation;
    if (s.region_scope == whole_fleet)
      break;
  }
}

void fleet_view::rekey(slot_index i, int64_t new_sampled, int64_t new_placed) {
  auto& s = slots_[i];
  if (!s.available()) {
    s.sampled_clients = new_sampled;
    s.placed_since_sample = new_placed;
    return;
  }
  auto old_key = key_of(i);
  s.sampled_clients = new_sampled;
  s.placed_since_sample = new_placed;
  auto new_key = key_of(i);
  for (auto scope : {whole_fleet, s.region_scope}) {
    auto& sc = scopes_[scope];
    sc.by_load.erase(old_key);
    sc.by_load.insert(new_key);
    auto& tier = sc.tiers[s.priority];
    tier.erase(old_key);
    tier.insert(new_key);
    if (s.region_scope == whole_fleet)
      break;
  }
}

void fleet_view::set_state(slot_index i, server_state state) {
  auto& s = slots_[i];
  if (s.available())
    erase(i);
  s.state = state;
  if (s.available())
    insert(i);
}

void fleet_view::set_load_sample(slot_index i, int64_t active_clients) {
  rekey(i, active_clients, 0);
}

void fleet_view::record_placement(slot_index i) {
  const auto& s = slots_[i];
  rekey(i, s.sampled_clients, s.placed_since_sample + 1);
}

void fleet_view::withdraw_placement(slot_index i) {
  const auto& s = slots_[i];
  if (s.placed_since_sample > 0)
    rekey(i, s.sampled_clients, s.placed_since_sample - 1);
}

} // namespace fleet
