#pragma once

#include "common/backoff.hpp"

#include <algorithm>
#include <cstdint>

namespace fleet {

/// The pause before attempt `attempt` + 1 after `attempt` failed attempts (from 1): `first`
/// doubled per failure up to `cap`, then spread over its upper half by `unit` (a random
/// number in [0, 1)) so that receivers coming back are not hit by every sender at once.
[[nodiscard]] inline millis retry_delay(millis first, millis cap, int64_t attempt, double unit) {
  auto base = doubled_up_to(first, cap, attempt - 1);
  auto spread = static_cast<int64_t>(static_cast<double>(base / 2) * std::clamp(unit, 0.0, 1.0));
  return millis{base - base / 2 + spread};
}

} // namespace fleet
