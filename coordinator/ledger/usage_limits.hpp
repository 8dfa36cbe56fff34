#pragma once

// What a client's limits mean against its fleet usage: whether it must be stopped, what is
// left of its quota, and the quota its panel must hold so that the panel stops it on its own
// at the same byte, between samples and while the coordinator is down.

#include <cstdint>
#include <optional>
#include <string>

namespace fleet {

/// A client's limits as the fleet records them.
struct client_terms {
  /// Bytes allowed over the whole fleet; 0 = unlimited.
  int64_t total_bytes = 0;
  /// Unix ms; 0 = never.
  int64_t expiry_time_ms = 0;
};

/// Why a client is stopped although it is enabled.
enum class limit_reason {
  none,
  quota,
  expired,
};

[[nodiscard]] const char* to_string(limit_reason r) noexcept;

/// Reads "quota", "expired" or "" (none); anything else is none.
[[nodiscard]] limit_reason parse_limit_reason(const std::string& text) noexcept;

/// Bytes of `gb` gigabytes (GiB, as the panel counts them).
[[nodiscard]] int64_t bytes_of_gb(double gb) noexcept;

/// The limit `used` bytes of fleet usage reach at `now_ms`; the quota wins over the expiry.
[[nodiscard]] limit_reason limit_of(const client_terms& terms, int64_t used,
                                    int64_t now_ms) noexcept;

/// What is left of the quota (never negative); empty when the quota is unlimited.
[[nodiscard]] std::optional<int64_t> remaining_bytes(const client_terms& terms,
                                                     int64_t used) noexcept;

/// The `totalGB` a panel whose counters show `panel_counted` bytes for the client must hold
/// for the client to stop there exactly when the fleet quota is used up: what the panel
/// counted plus what is left fleet-wide. 0 (unlimited) only for an unlimited quota; at least
/// 1 otherwise, since 0 would mean unlimited to the panel.
[[nodiscard]] int64_t panel_quota(const client_terms& terms, int64_t used,
                                  int64_t panel_counted) noexcept;

} // namespace fleet
