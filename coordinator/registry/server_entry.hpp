#pragma once

#include "common/duration.hpp"
#include "common/model/health.hpp"
#include "common/protocol.hpp"
#include "common/time_format.hpp"
#include "coordinator/registry/health_flags.hpp"
#include "coordinator/selector/fleet_view.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fleet {

/// Everything the fleet knows about one server: its configured facts, the operator's state,
/// health flags per source with the figures of its last check, and its panel's figures.
/// Owned by the server registry; a plain value.
struct server_entry {
  // -- configuration --------------------------------------------------------------------------

  std::string id;
  /// The agent that probes it; empty when the coordinator does.
  std::string agent;
  int64_t max_clients = 0;
  /// `enabled` in the configuration; an operator cannot enable a server the file disables.
  bool enabled_in_config = true;
  /// Its position in the selection view.
  slot_index slot = 0;
  std::string region;
  /// The address users connect to (`public_host`, else `host`).
  std::string user_host;
  /// `flow` of the vless clients placed here.
  std::string client_flow;

  // -- operator and health --------------------------------------------------------------------

  admin_state admin = admin_state::active;
  health_flags flags;
  /// Passed checks since the server was ejected passively (counts towards its return).
  int64_t passes_since_ejection = 0;
  /// Passive ejections since a client change last worked there: each one holds the server out
  /// for `healthy_threshold` passed checks more (Envoy's ejection time times the ejections).
  int64_t ejections_in_a_row = 0;
  std::optional<wall_time> last_check;
  millis response_time{0};
  int64_t error_count = 0;
  int64_t consecutive_failures = 0;
  /// Why the server is out, or the last failed check; never contains secrets.
  std::string last_error;
  double availability = 0.0;

  /// The panel at its last passed check (`xray_state` also from a check that found it
  /// down).
  panel_figures panel;
  /// The panel's inbounds at its last passed check (empty until one passed).
  std::vector<inbound_profile> inbounds;

  /// Whether selection may place new clients here: active and no health flag set.
  [[nodiscard]] bool available() const noexcept {
    return admin == admin_state::active && flags.none();
  }

  /// The one state shown to operators: the operator's state wins, then a lost agent, then
  /// failed checks or operations, then the wait for a first check.
  [[nodiscard]] server_state state() const noexcept;
};

} // namespace fleet
