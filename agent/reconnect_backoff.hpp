#pragma once

#include "common/backoff.hpp"

#include <random>

namespace fleet {

/// How long an agent waits before connection attempt `attempt` (0 for the first retry):
/// `first` doubling up to `cap`, spread by +-20% so that agents cut off together do not
/// come back in lockstep.
[[nodiscard]] inline millis reconnect_delay(int attempt, millis first, millis cap,
                                            std::mt19937_64& rng) {
  auto base = doubled_up_to(first, cap, attempt);
  std::uniform_real_distribution<double> spread{0.8, 1.2};
  return millis{static_cast<int64_t>(static_cast<double>(base) * spread(rng))};
}

} // namespace fleet
