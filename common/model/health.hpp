#pragma once

#include "common/duration.hpp"
#include "common/time_format.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace fleet {

/// The one state of a server as seen by selection and operators.
enum class server_state {
  /// Not checked yet since start-up and nothing restored: not selectable.
  unknown,
  /// Passing health checks: selectable.
  healthy,
  /// Failing health checks: not selectable.
  unhealthy,
  /// Admin state: no new users, existing users stay.
  draining,
  /// Admin state: switched off by config or operator.
  disabled,
  /// The agent that probes this server is gone.
  unreachable,
};

/// Returns the snake_case name of `state`.
[[nodiscard]] const char* to_string(server_state state);

/// Parses a state name; returns `std::nullopt` for unknown names.
[[nodiscard]] std::optional<server_state> parse_server_state(const std::string& name);

/// Health of one server. The first seven fields are the original `ServerHealth`; the rest are
/// the API contract's extensions.
struct server_health {
  std::string server_id;
  bool is_healthy = false;
  /// Time of the last completed check; empty before the first one.
  std::optional<wall_time> last_check;
  millis response_time{0};
  int64_t error_count = 0;
  /// Active clients / max_clients, 0..1 (0 when max_clients is 0).
  double current_load = 0.0;
  int64_t active_clients = 0;

  // -- extensions ---------------------------------------------------------------------------

  server_state state = server_state::unknown;
  int64_t consecutive_failures = 0;
  std::string last_error;
  std::string xray_state;
  std::string panel_version;
  /// Share of successful checks over the last 24 h, 0..1.
  double availability = 0.0;
};

} // namespace fleet
