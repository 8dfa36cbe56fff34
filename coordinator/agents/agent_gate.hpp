#pragma once

#include "common/protocol.hpp"

#include <caf/actor.hpp>
#include <caf/typed_event_based_actor.hpp>

namespace fleet {

/// The gate agents connect to (`gate_actor`): every message is handed on to `coordinator`
/// with the agent as the sender, so the coordinator knows which agent speaks; anything outside
/// the interface is dropped (logged by its type names, answered with `unexpected_message`).
gate_actor::behavior_type agent_gate(gate_actor::pointer self, caf::actor coordinator);

} // namespace fleet
