#include "coordinator/selector/least_load.hpp"

namespace fleet {

std::optional<slot_index> least_load_selector::select(const fleet_view& view, scope_index scope,
                                                      const request_filter& filter) {
  const auto& members = view.scope(scope);
  if (!filter.min_priority)
    return least_loaded_in(members.by_load, view, filter);
  // With a priority floor, walk only the tiers above it: a fleet-wide walk could pass many
  // low-priority servers first.
  std::optional<slot_index> best;
  for (const auto& [priority, order] : members.tiers) {
    if (priority < *filter.min_priority)
      break;
    auto candidate = least_loaded_in(order, view, filter);
    if (candidate && (!best || view.key_of(*candidate) < view.key_of(*best)))
      best = candidate;
  }
  return best;
}

} // namespace fleet
