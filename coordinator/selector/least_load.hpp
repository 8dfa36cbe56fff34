#pragma once

#include "coordinator/selector/selector.hpp"

namespace fleet {

/// Chooses the server with the lowest believed load: the last load sample plus the clients
/// placed since, so a burst of new users spreads instead of piling onto the server that
/// looked emptiest. Ties go to the server with fewer clients, then to the first configured.
class least_load_selector : public selector {
public:
  static constexpr std::string_view type_name = "least_load";

  // -- selector -------------------------------------------------------------------------------

  [[nodiscard]] std::string_view name() const noexcept override { return type_name; }

  [[nodiscard]] std::optional<slot_index> select(const fleet_view& view, scope_index scope,
                                                 const request_filter& filter) override;
};

} // namespace fleet
