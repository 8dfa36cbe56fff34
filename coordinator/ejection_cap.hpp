#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

namespace fleet {

/// Bounds passive ejection (a server taken out because its client operations failed, not
/// because a health check did): at most `max(1, max_percent % of the fleet)` servers are out
/// that way at a time, as Envoy's `max_ejection_percent`. A failing operation path (a bad
/// client request that every panel refuses with a 5xx, say) then cannot empty the fleet;
/// active checks still take out any server that really is down.
///
/// Fed every health report in order; plain state, not thread-safe.
class ejection_cap {
public:
  ejection_cap(size_t fleet_size, int64_t max_percent);

  /// What a report says about a server.
  struct report {
    /// Client operations failed: the probe ejects the server (verdict "passive_failure").
    bool passive = false;
    /// The probe holds the server unhealthy.
    bool unhealthy = false;
    /// An active check passed just now.
    bool check_passed = false;
  };

  /// Whether the report's state applies; false means the server keeps the state it has,
  /// because the report is an ejection over the cap or the recovery that follows one.
  [[nodiscard]] bool admit(const std::string& server, report r);

  /// Servers out by passive ejection now.
  [[nodiscard]] size_t ejected() const noexcept { return ejected_.size(); }
  [[nodiscard]] size_t limit() const noexcept { return limit_; }

private:
  size_t limit_;
  std::set<std::string> ejected_;
  /// Servers whose ejection was refused, until their probe sees them healthy again.
  std::set<std::string> held_;
};

} // namespace fleet
