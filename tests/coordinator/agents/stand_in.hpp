#pragma once

#include "common/probe_interface.hpp"

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>

#include <string>

namespace fleet::test {

/// Stands in for an agent or a probe: a handle to register and monitor, nothing more. `name`
/// only tells them apart (spawning a function without arguments trips UBSan inside CAF).
inline caf::behavior stand_in(caf::event_based_actor*, std::string /*name*/) {
  return {[](int) {}};
}

/// A stand-in as the probe handle an agent registers (it is never asked anything).
inline probe_actor as_probe(const caf::actor& stand_in) {
  return caf::actor_cast<probe_actor>(stand_in);
}

} // namespace fleet::test
