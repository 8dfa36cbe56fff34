#pragma once

#include "coordinator/selector/selector.hpp"

#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fleet {

/// Visits the eligible servers in turn, in proportion to their `weight` (equal weights: one
/// each, in configured order). Implemented as stride scheduling: every server has a pass
/// value, the eligible server with the smallest pass is chosen and its pass grows by
/// 1/weight. Skipped servers lose their turn instead of catching up later in a burst.
class round_robin_selector : public selector {
public:
  static constexpr std::string_view type_name = "round_robin";

  // -- selector -------------------------------------------------------------------------------

  [[nodiscard]] std::string_view name() const noexcept override { return type_name; }

  [[nodiscard]] std::optional<slot_index> select(const fleet_view& view, scope_index scope,
                                                 const request_filter& filter) override;

private:
  using entry = std::pair<uint64_t, slot_index>;

  struct scope_state {
    uint64_t generation = ~uint64_t{0};
    std::set<entry> queue;
    std::unordered_map<slot_index, uint64_t> pass;
  };

  /// Brings the queue of `scope` in line with the view's members, keeping known passes.
  scope_state& refresh(const fleet_view& view, scope_index scope);

  std::vector<scope_state> scopes_;
};

} // namespace fleet
