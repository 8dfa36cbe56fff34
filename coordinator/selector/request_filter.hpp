#pragma once

#include "coordinator/selector/fleet_view.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace fleet {

/// The per-request part of eligibility, applied on top of availability (which the fleet view
/// already guarantees for every scope member): load limit, excluded servers, minimum priority.
struct request_filter {
  /// Servers whose believed load is at or above this are full.
  double load_limit = 1.0;
  /// Servers that must not be chosen.
  std::vector<slot_index> excluded;
  /// Servers with a smaller priority are not eligible.
  std::optional<int64_t> min_priority;

  [[nodiscard]] bool is_excluded(slot_index i) const noexcept {
    return std::find(excluded.begin(), excluded.end(), i) != excluded.end();
  }

  [[nodiscard]] bool is_full(const server_slot& s) const noexcept { return s.load() >= load_limit; }

  [[nodiscard]] bool below_priority(const server_slot& s) const noexcept {
    return min_priority && s.priority < *min_priority;
  }

  /// Whether an available server may take this request.
  [[nodiscard]] bool accepts(slot_index i, const server_slot& s) const noexcept {
    return !is_full(s) && !below_priority(s) && !is_excluded(i);
  }
};

/// Returns the least loaded server of `order` that `filter` accepts. Stops at the first full
/// server: everything after it is at least as loaded.
[[nodiscard]] std::optional<slot_index>
least_loaded_in(const load_order& order, const fleet_view& view, const request_filter& filter);

} // namespace fleet
