#pragma once

#include <cstdint>
#include <limits>

namespace fleet {

/// `a + b`, held at the int64 limits instead of overflowing: sums of counters a panel
/// reported, which may be anything up to the limits.
[[nodiscard]] constexpr int64_t saturating_add(int64_t a, int64_t b) noexcept {
  int64_t sum = 0;
  if (!__builtin_add_overflow(a, b, &sum))
    return sum;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

} // namespace fleet
