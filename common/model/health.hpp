#pragma once

#include "common/duration.hpp"
#include "common/time_format.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

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

/// Operator-controlled state of a server, independent of its health.
enum class admin_state {
  /// Takes new users when healthy.
  active,
  /// Keeps its users, takes no new ones.
  draining,
  /// Switched off.
  disabled,
};

/// Returns the snake_case name of `admin`: active, draining or disabled.
[[nodiscard]] const char* to_string(admin_state admin);

/// Parses an admin state name; returns `std::nullopt` for unknown names.
[[nodiscard]] std::optional<admin_state> parse_admin_state(const std::string& name);

/// Returns the snake_case name of `state`.
[[nodiscard]] const char* to_string(server_state state);

/// Parses a state name; returns `std::nullopt` for unknown names.
[[nodiscard]] std::optional<server_state> parse_server_state(const std::string& name);

/// What one health check found.
enum class check_verdict {
  /// Session valid, status and inbounds read, xray running.
  passed,
  /// Timeout, refused connection, server error or garbled answer: may pass on its own.
  network_failure,
  /// Credentials, CSRF or API token refused: needs an operator, not retries.
  auth_failure,
  /// The panel answers but xray is not running: no VPN traffic flows.
  xray_down,
};

[[nodiscard]] const char* to_string(check_verdict v);

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
  /// Why the server is not healthy, one flag per source (e.g. "active_check_failed",
  /// "agent_lost"); empty when it is.
  std::vector<std::string> flags;
};

/// Field by field; what the API renders of a server changes exactly when this does.
[[nodiscard]] inline bool operator==(const server_health& a, const server_health& b) {
  auto fields = [](const server_health& x) {
    return std::tie(x.server_id, x.is_healthy, x.last_check, x.response_time, x.error_count,
                    x.current_load, x.active_clients, x.state, x.consecutive_failures, x.last_error,
                    x.xray_state, x.panel_version, x.availability, x.flags);
  };
  return fields(a) == fields(b);
}

} // namespace fleet
