#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fleet {

/// What a caller asks of a placement: the original `SelectionCriteria` plus `strategy`.
/// Every field is optional; an empty string or vector means "not given".
struct selection_criteria {
  std::string user_id;
  /// Wanted region. The geographic strategy falls back to other regions; every other
  /// strategy treats it as a hard filter.
  std::string region;
  /// Servers at or above this load (0..1) are not eligible.
  std::optional<double> max_load;
  /// Servers that must never be chosen.
  std::vector<std::string> exclude_ids;
  /// Chosen when eligible; otherwise the strategy decides.
  std::string preferred_id;
  /// Servers with a smaller priority are not eligible.
  std::optional<int64_t> min_priority;
  /// Strategy for this request; empty = the configured `selection_strategy`.
  std::string strategy;
};

} // namespace fleet
