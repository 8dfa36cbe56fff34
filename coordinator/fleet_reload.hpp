#pragma once

#include "common/error.hpp"
#include "coordinator/coordinator_state.hpp"
#include "coordinator/reload/reload_plan.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

namespace fleet {

/// `(reload_atom, reload_plan)` -> `bool`: the coordinator applies a reloaded configuration,
/// or refuses it whole (`conflict`) when it removes a server that still holds clients.
using reload_atom = caf::atom_constant<caf::atom("reload")>;
constexpr reload_atom reload_atom_v{};

/// Refuses a plan that removes a server the fleet still has clients on: `conflict` naming
/// every such server with its count and what to do first (evacuate it, or drain it until it
/// is empty). Nothing of the plan applies then.
[[nodiscard]] caf::error check_removals(const coordinator_state& s, const reload_plan& plan);

/// Applies the plan's servers and settings to the coordinator's state: the registry and the
/// selection view, the probe settings, what the fleet kept about removed servers (their
/// subscription links, drift reports), panic mode; then appends `config.reloaded` with
/// `plan.summary()`. The probes are the actor's to start and stop.
void apply_reload(coordinator_state& s, const reload_plan& plan);

} // namespace fleet

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::reload_plan)
