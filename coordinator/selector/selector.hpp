#pragma once

#include "coordinator/selector/fleet_view.hpp"
#include "coordinator/selector/request_filter.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace fleet {

/// A placement strategy: chooses one server of a scope for a new client.
///
/// Implementations read the fleet view only, never perform I/O, and are deterministic given
/// their inputs and their seed. They may keep state between calls (a round-robin cursor, a
/// random generator); one instance serves one engine and is not thread-safe.
class selector {
public:
  virtual ~selector() = default;

  /// Returns the registered name, e.g. "least_load".
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;

  /// Chooses a member of `scope` that `filter` accepts, or returns `std::nullopt` when none.
  [[nodiscard]] virtual std::optional<slot_index> select(const fleet_view& view, scope_index scope,
                                                         const request_filter& filter)
      = 0;

  /// Whether a wanted region is a preference with fallbacks (true) or a hard filter (false).
  [[nodiscard]] virtual bool region_is_preference() const noexcept { return false; }
};

/// Parameters every selector factory receives.
struct selector_params {
  /// Seed for strategies that draw random numbers; fixed seeds make runs reproducible.
  uint64_t seed = 0;
};

} // namespace fleet
