#pragma once

#include <cstdint>

namespace fleet {

/// The soft limit on open file descriptors before and after `raise_open_file_limit`.
struct open_file_limit {
  uint64_t before = 0;
  uint64_t after = 0;
};

/// Raises this process's soft limit on open file descriptors to its hard limit, so that
/// many panel connections, agents and API clients fit (the default soft limit is often
/// 1,024). Leaves the limit as it was when it cannot be read or raised.
open_file_limit raise_open_file_limit();

} // namespace fleet
