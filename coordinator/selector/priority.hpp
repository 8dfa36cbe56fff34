#pragma once

#include "coordinator/selector/selector.hpp"

namespace fleet {

/// Chooses from the highest priority tier that has an eligible server; within the tier, the
/// least loaded one (a larger `priority` is preferred).
class priority_selector : public selector {
public:
  static constexpr std::string_view type_name = "priority";

  // -- selector -------------------------------------------------------------------------------

  [[nodiscard]] std::string_view name() const noexcept override { return type_name; }

  [[nodiscard]] std::optional<slot_index> select(const fleet_view& view, scope_index scope,
                                                 const request_filter& filter) override;
};

} // namespace fleet
