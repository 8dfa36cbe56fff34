#pragma once

#include "common/config/config.hpp"
#include "common/error.hpp"
#include "common/model/criteria.hpp"
#include "coordinator/selector/fleet_view.hpp"
#include "coordinator/selector/selector_registry.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fleet {

/// The settings selection depends on, taken from `server_management`.
struct selection_settings {
  std::string default_strategy = "least_load";
  double load_balance_threshold = 0.8;
  bool geographic_routing = true;
  std::map<std::string, std::vector<std::string>> region_fallbacks;
  /// Seed of the random strategies.
  uint64_t seed = 0;

  /// Takes the relevant fields of `m`.
  [[nodiscard]] static selection_settings from(const management_settings& m, uint64_t seed);
};

/// A server chosen for a request.
struct selection {
  slot_index slot = 0;
  std::string server_id;
  std::string name;
  std::string region;
  /// The strategy that decided, or "preferred" when `preferred_id` was honoured.
  std::string strategy;
  /// Believed load of the server at the time of the choice.
  double load = 0.0;
};

/// Why nothing was eligible, for errors and API details.
struct no_server_diagnosis {
  /// One of no_servers, all_disabled, all_draining, all_unhealthy, all_excluded,
  /// none_in_region, all_below_min_priority, all_full, mixed.
  std::string reason;
  /// One sentence for people, e.g. "no server available: all 4 servers are unhealthy".
  std::string message;
  /// Servers per rejection cause: disabled, draining, unknown, unhealthy, unreachable,
  /// excluded, outside_region, below_min_priority, full.
  std::map<std::string, int64_t> counts;
};

/// Chooses servers for new clients: applies the criteria (preferred server, exclusions, load
/// limit, minimum priority, region with fallbacks), runs the strategy, and explains failures.
/// Owns the fleet view and the strategy registry; strategies are instantiated once per name
/// and keep their state (cursors, random generators) between calls.
///
/// Not thread-safe: owned by the coordinator actor or one thread.
class selection_engine {
public:
  /// Builds the view from `servers` (validated config) with every server's health unknown.
  selection_engine(const std::vector<server_config>& servers, selection_settings settings,
                   selector_registry registry = builtin_selector_registry());

  /// Chooses a server. Fails with `invalid_argument` for an unknown strategy and with
  /// `no_server_available` when nothing is eligible: the message and the details (`reason`
  /// and `counts`, see `details_of`) come from `diagnose`. Choosing does
  /// not count as a placement: call `record_placement` once a client is sent there.
  [[nodiscard]] caf::expected<selection> select(const selection_criteria& criteria);

  /// Counts a new client on `slot` until its next load sample (anti-herding).
  void record_placement(slot_index slot) { view_.record_placement(slot); }

  /// Explains why nothing is eligible for `criteria`. Scans the fleet: for failures only.
  [[nodiscard]] no_server_diagnosis diagnose(const selection_criteria& criteria) const;

  [[nodiscard]] fleet_view& view() noexcept { return view_; }
  [[nodiscard]] const fleet_view& view() const noexcept { return view_; }
  [[nodiscard]] selector_registry& registry() noexcept { return registry_; }
  [[nodiscard]] const selection_settings& settings() const noexcept { return settings_; }

private:
  [[nodiscard]] caf::expected<selector*> strategy(const std::string& name);
  [[nodiscard]] request_filter filter_for(const selection_criteria& criteria) const;
  [[nodiscard]] std::vector<std::string> regions_for(const selection_criteria& criteria,
                                                     bool region_is_preference) const;

  fleet_view view_;
  selection_settings settings_;
  selector_registry registry_;
  std::map<std::string, std::unique_ptr<selector>> instances_;
};

} // namespace fleet
