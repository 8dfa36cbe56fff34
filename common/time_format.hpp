#pragma once

#include "common/error.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace fleet {

using wall_time = std::chrono::system_clock::time_point;

/// Formats `t` as RFC 3339 UTC with millisecond precision: "2026-11-25T20:11:36.123Z".
[[nodiscard]] std::string to_rfc3339(wall_time t);

/// Parses RFC 3339 ("2026-11-25T20:11:36Z", optional fraction, "Z" or "+hh:mm" offset).
[[nodiscard]] caf::expected<wall_time> parse_rfc3339(std::string_view text);

/// Returns Unix milliseconds of `t`.
[[nodiscard]] int64_t to_unix_ms(wall_time t);

} // namespace fleet
