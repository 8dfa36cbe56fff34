#pragma once

#include "coordinator/selector/selector.hpp"

#include <random>
#include <vector>

namespace fleet {

/// Chooses an eligible server at random, each with probability proportional to its `weight`.
/// Draws from all members of the scope and redraws when the pick is not eligible, which keeps
/// the distribution exact; after many misses it draws from the eligible servers directly.
class random_selector : public selector {
public:
  static constexpr std::string_view type_name = "random";

  explicit random_selector(uint64_t seed) : rng_(seed) {
    // nop
  }

  // -- selector -------------------------------------------------------------------------------

  [[nodiscard]] std::string_view name() const noexcept override { return type_name; }

  [[nodiscard]] std::optional<slot_index> select(const fleet_view& view, scope_index scope,
                                                 const request_filter& filter) override;

private:
  struct scope_state {
    uint64_t generation = ~uint64_t{0};
    /// Running sum of the weights of the scope's members, in member order.
    std::vector<uint64_t> cumulative;
  };

  /// Returns the index of a weighted random member of `cumulative`.
  size_t draw(const std::vector<uint64_t>& cumulative);

  std::mt19937_64 rng_;
  std::vector<scope_state> scopes_;
};

} // namespace fleet
