#include "coordinator/selector/selector_registry.hpp"

#include "coordinator/selector/geographic.hpp"
#include "coordinator/selector/least_load.hpp"
#include "coordinator/selector/priority.hpp"
#include "coordinator/selector/random.hpp"
#include "coordinator/selector/round_robin.hpp"

#include <algorithm>

namespace fleet {

namespace {

bool valid_name(const std::string& name) {
  return !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

template <class Selector>
selector_factory stateless() {
  return [](const selector_params&) { return std::make_unique<Selector>(); };
}

} // namespace

caf::error selector_registry::add(const std::string& name, selector_factory factory) {
  if (!valid_name(name))
    return make_error(ec::invalid_argument, "strategy name \"" + name
                                                + "\" must be 1..32 lowercase letters, digits "
                                                  "or '_'");
  if (!factory)
    return make_error(ec::invalid_argument, "strategy \"" + name + "\" has no factory");
  if (!factories_.emplace(name, std::move(factory)).second)
    return make_error(ec::conflict, "strategy \"" + name + "\" is already registered");
  return caf::none;
}

bool selector_registry::contains(const std::string& name) const {
  return factories_.count(name) != 0;
}

std::vector<std::string> selector_registry::names() const {
  std::vector<std::string> result;
  for (const auto& [name, factory] : factories_)
    result.push_back(name);
  return result;
}

caf::expected<std::unique_ptr<selector>>
selector_registry::make(const std::string& name, const selector_params& params) const {
  auto i = factories_.find(name);
  if (i == factories_.end()) {
    std::string known;
    for (const auto& n : names())
      known += (known.empty() ? "" : ", ") + n;
    return make_error(ec::invalid_argument, "unknown strategy \"" + name + "\"; known: " + known);
  }
  auto instance = i->second(params);
  if (!instance)
    return make_error(ec::internal, "the factory of strategy \"" + name + "\" made nothing");
  return instance;
}

void register_builtin_selectors(selector_registry& registry) {
  // Names are fixed and valid, so these cannot fail.
  static_cast<void>(
      registry.add(std::string{least_load_selector::type_name}, stateless<least_load_selector>()));
  static_cast<void>(registry.add(std::string{round_robin_selector::type_name},
                                 stateless<round_robin_selector>()));
  static_cast<void>(
      registry.add(std::string{random_selector::type_name}, [](const selector_params& params) {
        return std::make_unique<random_selector>(params.seed);
      }));
  static_cast<void>(
      registry.add(std::string{geographic_selector::type_name}, stateless<geographic_selector>()));
  static_cast<void>(
      registry.add(std::string{priority_selector::type_name}, stateless<priority_selector>()));
}

selector_registry builtin_selector_registry() {
  selector_registry registry;
  register_builtin_selectors(registry);
  return registry;
}

} // namespace fleet
