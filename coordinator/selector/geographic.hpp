#pragma once

#include "coordinator/selector/least_load.hpp"

namespace fleet {

/// Places users near their wanted region: servers of that region first, then (when
/// `geographic_routing` is on) the configured fallback regions in order, then any region.
/// Within a region it chooses like `least_load`. Without a wanted region it is `least_load`.
class geographic_selector : public least_load_selector {
public:
  static constexpr std::string_view type_name = "geographic";

  // -- selector -------------------------------------------------------------------------------

  [[nodiscard]] std::string_view name() const noexcept override { return type_name; }

  [[nodiscard]] bool region_is_preference() const noexcept override { return true; }
};

} // namespace fleet
