#pragma once

#include <caf/event_based_actor.hpp>

#include <string>

namespace fleet::test {

/// Stands in for an agent or a probe: a handle to register and monitor, nothing more. `name`
/// only tells them apart (spawning a function without arguments trips UBSan inside CAF).
inline caf::behavior stand_in(caf::event_based_actor*, std::string /*name*/) {
  return {[](int) {}};
}

} // namespace fleet::test
