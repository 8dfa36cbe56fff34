#pragma once

#include "common/model/health.hpp"
#include "common/model/server.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace fleet {

/// Position of a server in the fleet view; stable for the view's lifetime.
using slot_index = uint32_t;

/// Position of a scope (the whole fleet, or one region) in the fleet view.
using scope_index = uint32_t;

/// The whole fleet, as one scope.
constexpr scope_index whole_fleet = 0;

/// One server as selection sees it: static facts plus health, admin state and load.
struct server_slot {
  std::string id;
  std::string name;
  std::string region;
  scope_index region_scope = whole_fleet;
  int64_t priority = 0;
  int64_t max_clients = 0;
  int64_t weight = 1;
  /// The server's one state, as the server registry derives it; only healthy ones are
  /// selectable.
  server_state state = server_state::unknown;
  /// Active clients at the last load sample.
  int64_t sampled_clients = 0;
  /// Clients placed on this server since the last load sample.
  int64_t placed_since_sample = 0;
  /// No longer configured (removed by a reload): never selectable, left out of diagnoses.
  bool retired = false;

  /// Clients the server is believed to have now.
  [[nodiscard]] int64_t clients() const noexcept { return sampled_clients + placed_since_sample; }

  /// Believed load 0..1+ (clients / max_clients); 0 when capacity is unlimited.
  [[nodiscard]] double load() const noexcept;

  /// Whether selection may consider this server at all.
  [[nodiscard]] bool available() const noexcept { return state == server_state::healthy; }
};

/// Orders servers by believed load, then by client count, then by position.
struct load_key {
  double load = 0.0;
  int64_t clients = 0;
  slot_index slot = 0;

  friend bool operator<(const load_key& a, const load_key& b) noexcept {
    if (a.load != b.load)
      return a.load < b.load;
    if (a.clients != b.clients)
      return a.clients < b.clients;
    return a.slot < b.slot;
  }
};

using load_order = std::set<load_key>;

/// Available servers of one scope, kept in the orders the strategies need.
struct scope_members {
  /// Region name; empty for the whole fleet.
  std::string region;
  /// Available servers in slot order.
  std::vector<slot_index> members;
  /// Available servers by believed load.
  load_order by_load;
  /// Available servers per priority tier (highest first), each by believed load.
  std::map<int64_t, load_order, std::greater<>> tiers;
  /// Incremented whenever `members` changes, so strategies can refresh derived state.
  uint64_t generation = 0;
};

/// The fleet as seen by selection: every configured server with its state and load, and per
/// scope (whole fleet, each region) the available servers in the orders the
/// strategies read. Updates cost O(log n); reads never scan the fleet.
///
/// Not thread-safe: owned by one actor (the coordinator) or one thread.
class fleet_view {
public:
  /// Adds a server; returns its slot. Ids must be unique (config validation ensures it).
  slot_index add(const server_config& config);

  /// Takes the new facts of slot `i` (name, region, priority, capacity, weight) from
  /// `config`, keeping its state and load; a retired slot is configured again (its state is
  /// the caller's to set).
  void reconfigure(slot_index i, const server_config& config);

  /// Takes slot `i` out for good (its server left the configuration); `find` still knows
  /// it, so the same id added again gets its slot back through `reconfigure`.
  void retire(slot_index i);

  /// Returns the slot of `id`, if configured.
  [[nodiscard]] std::optional<slot_index> find(const std::string& id) const;

  /// Returns the scope of `region`, if any server is configured in it.
  [[nodiscard]] std::optional<scope_index> find_scope(const std::string& region) const;

  [[nodiscard]] const server_slot& slot(slot_index i) const { return slots_[i]; }
  [[nodiscard]] const std::vector<server_slot>& slots() const noexcept { return slots_; }
  [[nodiscard]] const scope_members& scope(scope_index i) const { return scopes_[i]; }
  [[nodiscard]] size_t scope_count() const noexcept { return scopes_.size(); }
  [[nodiscard]] size_t size() const noexcept { return slots_.size(); }

  /// Sets the state of a server (the server registry's, which owns health and operator
  /// state); only healthy servers are selectable.
  void set_state(slot_index i, server_state state);

  /// Records a load sample from the panel and forgets placements counted since the last one.
  void set_load_sample(slot_index i, int64_t active_clients);

  /// Counts one new client on the server until the next load sample.
  void record_placement(slot_index i);

  /// Takes back one placement counted since the last load sample (a create that failed
  /// there); none when the sample already forgot it.
  void withdraw_placement(slot_index i);

  /// Returns the load order key of slot `i` as of now.
  [[nodiscard]] load_key key_of(slot_index i) const;

private:
  void insert(slot_index i);
  void erase(slot_index i);
  void rekey(slot_index i, int64_t new_sampled, int64_t new_placed);
  /// The scope of `region` (made when new); the whole fleet for no region.
  scope_index scope_for(const std::string& region);

  std::vector<server_slot> slots_;
  std::vector<scope_members> scopes_{1};
  std::unordered_map<std::string, slot_index> by_id_;
  std::unordered_map<std::string, scope_index> by_region_;
};

} // namespace fleet
