#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fleet {

/// One reason, from one source, why a server is not healthy. Each source sets and clears
/// only its own flag, as Envoy keeps `FAILED_ACTIVE_HC`, `FAILED_OUTLIER_CHECK` and
/// `PENDING_ACTIVE_HC` apart; a server is healthy when no flag is set.
enum class health_flag : uint8_t {
  /// No active check has decided since start-up, or since its agent came back.
  unchecked = 1U << 0U,
  /// Active checks hold the server unhealthy (network, auth or a stopped xray).
  active_check_failed = 1U << 1U,
  /// Client operations failed in a row and the coordinator ejected it (passive ejection).
  passive_failure = 1U << 2U,
  /// The agent that probes the server is not connected.
  agent_lost = 1U << 3U,
};

/// Returns the snake_case name of `flag`, as the API shows it.
[[nodiscard]] const char* to_string(health_flag flag);

/// The set of health flags of one server. A plain value.
class health_flags {
public:
  void set(health_flag flag, bool on) noexcept {
    bits_ = on ? static_cast<uint8_t>(bits_ | static_cast<uint8_t>(flag))
               : static_cast<uint8_t>(bits_ & ~static_cast<uint8_t>(flag));
  }

  [[nodiscard]] bool has(health_flag flag) const noexcept {
    return (bits_ & static_cast<uint8_t>(flag)) != 0;
  }

  /// No source says anything against the server.
  [[nodiscard]] bool none() const noexcept { return bits_ == 0; }

  /// Names of the set flags in declaration order.
  [[nodiscard]] std::vector<std::string> names() const;

private:
  uint8_t bits_ = 0;
};

} // namespace fleet
