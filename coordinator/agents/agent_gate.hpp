#pragma once

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>

namespace fleet {

/// What agents reach of the coordinator over the network: the agent protocol only, handed
/// on to `coordinator` with the agent as the sender. `(hello_atom, version, agent_id)`,
/// `(register_atom, agent_id, panels)`, `(health_atom, health_report)` and
/// `(health_atom, operations_report)`; anything else is
/// refused, so a connected agent cannot drive the fleet.
caf::behavior agent_gate(caf::event_based_actor* self, caf::actor coordinator);

} // namespace fleet
