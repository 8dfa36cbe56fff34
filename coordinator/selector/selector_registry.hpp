#pragma once

#include "common/error.hpp"
#include "coordinator/selector/selector.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fleet {

/// Creates a selector instance.
using selector_factory = std::function<std::unique_ptr<selector>(const selector_params&)>;

/// Maps strategy names to factories. Built-in strategies are added by
/// `register_builtin_selectors`; custom strategies are added the same way, at run time,
/// under a name of their own.
///
/// Not thread-safe: fill it at start-up or from the owning actor.
class selector_registry {
public:
  /// Adds a strategy. Fails with `invalid_argument` when the name is not 1..32 characters of
  /// lowercase letters, digits and '_', and with `conflict` when the name is taken.
  [[nodiscard]] caf::error add(const std::string& name, selector_factory factory);

  /// Returns whether `name` is registered.
  [[nodiscard]] bool contains(const std::string& name) const;

  /// Returns all registered names in alphabetical order.
  [[nodiscard]] std::vector<std::string> names() const;

  /// Creates an instance of strategy `name`; fails with `invalid_argument` for unknown names.
  [[nodiscard]] caf::expected<std::unique_ptr<selector>> make(const std::string& name,
                                                              const selector_params& params) const;

private:
  std::map<std::string, selector_factory> factories_;
};

/// Registers least_load, round_robin, random, geographic and priority.
void register_builtin_selectors(selector_registry& registry);

/// Returns a registry holding the built-in strategies.
[[nodiscard]] selector_registry builtin_selector_registry();

} // namespace fleet
