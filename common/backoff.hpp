#pragma once

#include "common/duration.hpp"

#include <algorithm>
#include <cstdint>

namespace fleet {

/// `first` doubled `doublings` times, but never above `cap`: the base of every retry pause
/// (callers add their own jitter).
[[nodiscard]] inline int64_t doubled_up_to(millis first, millis cap, int64_t doublings) {
  auto base = first.count();
  for (int64_t i = 0; i < doublings && base < cap.count(); ++i)
    base *= 2;
  return std::min<int64_t>(base, cap.count());
}

} // namespace fleet
