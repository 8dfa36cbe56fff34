#include "coordinator/selector/priority.hpp"

namespace fleet {

std::optional<slot_index> priority_selector::select(const fleet_view& view, scope_index scope,
                                                    const request_filter& filter) {
  for (const auto& [priority, order] : view.scope(scope).tiers) {
    if (filter.min_priority && priority < *filter.min_priority)
      return std::nullopt;
    if (auto chosen = least_loaded_in(order, view, filter))
      return chosen;
  }
  return std::nullopt;
}

} // namespace fleet
