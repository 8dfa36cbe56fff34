#include "coordinator/selector/request_filter.hpp"

namespace fleet {

std::optional<slot_index> least_loaded_in(const load_order& order, const fleet_view& view,
                                          const request_filter& filter) {
  for (const auto& key : order) {
    if (key.load >= filter.load_limit)
      return std::nullopt;
    const auto& s = view.slot(key.slot);
    if (!filter.below_priority(s) && !filter.is_excluded(key.slot))
      return key.slot;
  }
  return std::nullopt;
}

} // namespace fleet
