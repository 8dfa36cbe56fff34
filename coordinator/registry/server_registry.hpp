#pragma once

#include "common/config/config.hpp"
#include "common/model/stats.hpp"
#include "common/protocol.hpp"
#include "coordinator/registry/server_entry.hpp"
#include "coordinator/selector/fleet_view.hpp"

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace fleet {

/// What an update did to one server, for the caller's events, logs and persistence.
struct server_change {
  server_state before = server_state::unknown;
  server_state after = server_state::unknown;
  bool was_available = false;
  bool now_available = false;
  /// Passive ejection was due but the cap refused it; `last_error` says so.
  bool ejection_refused = false;

  [[nodiscard]] bool state_changed() const noexcept { return before != after; }
  [[nodiscard]] bool availability_changed() const noexcept {
    return was_available != now_available;
  }
};

/// The one record of every configured server. Each source of health sets its own flag
/// (active checks, passive failures, agent links, the operator's drain and disable), and
/// every change is pushed into the selection view, which only ever reads the derived state.
///
/// Passive ejection is decided here: `passive_failure_threshold` client operations failed in a
/// row take a server out while at most `max(1, max_ejection_percent % of the fleet)` servers
/// are out that way (Envoy's `max_ejection_percent`); `healthy_threshold` passed checks bring
/// it back, times the ejections in a row (Envoy's ejection time times the ejections, at most
/// `max_ejection_multiplier`), and a failed active check takes over from it. The probe's
/// count goes on while the server is out, so the first change that fails after its return
/// takes it out again at once; a change that works ends the run.
///
/// Not thread-safe: owned by the coordinator actor. `view` must outlive the registry.
class server_registry {
public:
  server_registry(const std::vector<server_config>& servers, const management_settings& settings,
                  fleet_view& view);

  /// The entry of `id`, or null when no such server is configured.
  [[nodiscard]] const server_entry* find(const std::string& id) const;

  /// Every server in configuration order.
  [[nodiscard]] const std::vector<server_entry>& entries() const noexcept { return entries_; }

  /// Restores the operator state and the health stored by an earlier run, so the fleet
  /// answers at once while probes check again. The configuration's `enabled: false` wins;
  /// health behind an agent is not restored (the agent must come back first).
  void restore(const std::string& id, admin_state admin, const server_health& last);

  /// Applies an active check's report.
  server_change apply(const health_report& report);

  /// Applies a probe's count of client operations failed in a row (passive ejection).
  server_change apply(const operations_report& report);

  /// Sets the operator's state; `id` must be configured.
  server_change set_admin(const std::string& id, admin_state admin);

  /// The server's agent is gone (or does not serve it): not selectable until it is back.
  server_change lose_agent(const std::string& id, std::string why);

  /// The server's agent serves it again: it waits for its probe's first check.
  server_change regain_agent(const std::string& id);

  /// Takes a reloaded configuration: `servers` in their new order, new ones waiting for a
  /// first check, those kept with their health and operator state and their new facts,
  /// those left out retired from selection. A server the file now disables is disabled; one
  /// it enables again is active. Passive ejection takes the new thresholds and fleet size.
  void reconfigure(const std::vector<server_config>& servers, const management_settings& settings);

  /// Counts a new client on the server until its next load sample.
  void placed(const std::string& id);

  /// Takes back a count of `placed` whose create failed on the server.
  void unplaced(const std::string& id);

  /// Servers out by passive ejection now, and the most that may be.
  [[nodiscard]] size_t ejected() const noexcept { return ejected_; }
  [[nodiscard]] size_t ejection_limit() const noexcept { return ejection_limit_; }

  /// The longest passive ejection, in multiples of `healthy_threshold` passed checks (Envoy's
  /// defaults: 30 s base, 300 s at most).
  static constexpr int64_t max_ejection_multiplier = 10;

  // -- rendering ------------------------------------------------------------------------------

  [[nodiscard]] server_health health_of(const server_entry& e) const;
  [[nodiscard]] server_stats stats_of(const server_entry& e) const;
  /// Health and stats of every server in configuration order.
  [[nodiscard]] std::vector<server_view> views() const;

private:
  server_entry& entry(const std::string& id);
  /// Pushes the entry's state into the view and tells what changed since `before`.
  server_change finish(server_entry& e, server_state before, bool was_available);
  void set_passive(server_entry& e, bool on);

  std::vector<server_entry> entries_;
  std::unordered_map<std::string, size_t> by_id_;
  fleet_view* view_;
  int64_t passive_threshold_;
  int64_t recovery_passes_;
  size_t ejection_limit_;
  size_t ejected_ = 0;
};

/// The most servers passive ejection may hold out of `fleet_size` at `max_percent`: at least
/// one.
[[nodiscard]] size_t ejection_limit(size_t fleet_size, int64_t max_percent);

} // namespace fleet
