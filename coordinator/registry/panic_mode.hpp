#pragma once

#include "coordinator/registry/server_entry.hpp"

#include <cstddef>
#include <vector>

namespace fleet {

/// Whether the fleet is in panic: fewer than `threshold` of the servers not disabled are
/// healthy. Nothing is decided until each of them has been checked once (or lost its agent).
/// Plain state; single-threaded.
class panic_mode {
public:
  explicit panic_mode(double threshold = 0.5) : threshold_(threshold) {}

  /// What `update` found.
  struct reading {
    /// Panic began or ended with this update.
    bool changed = false;
    size_t healthy = 0;
    size_t enabled = 0;
  };

  /// Looks at every server again.
  reading update(const std::vector<server_entry>& servers);

  [[nodiscard]] bool active() const noexcept { return active_; }

private:
  double threshold_;
  bool active_ = false;
};

} // namespace fleet
