#pragma once

#include <vector>

namespace fleet::bench {

/// The value at quantile `q` (0..1) of `sorted`, which must not be empty.
inline double percentile(const std::vector<double>& sorted, double q) {
  return sorted[static_cast<size_t>(q * static_cast<double>(sorted.size() - 1))];
}

} // namespace fleet::bench
