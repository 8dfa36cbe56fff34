#pragma once

#include "common/error.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace fleet {

/// Durations are kept in milliseconds everywhere in the product.
using millis = std::chrono::milliseconds;

/// Parses a duration written like Go's `time.ParseDuration`: one or more `<number><unit>`
/// terms with units `ms`, `s`, `m`, `h` (e.g. "30s", "500ms", "1m", "1m30s", "1.5s").
/// Fractions below one millisecond are rounded down. A bare number without unit is refused,
/// because the unit cannot be guessed.
[[nodiscard]] caf::expected<millis> parse_duration(std::string_view text);

/// Formats a duration in the same notation, using the largest exact units ("1m30s", "250ms").
[[nodiscard]] std::string format_duration(millis value);

} // namespace fleet
