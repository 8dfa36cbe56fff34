#pragma once

// `fleetctl reload`: the coordinator reads its configuration file again.

#include "fleetctl/command_context.hpp"

namespace fleet::ctl {

/// `reload`: asks the coordinator to reload its configuration file and prints what changed
/// and what needs a restart; a bad file prints every problem, one line each, and fails.
int reload(context& c);

} // namespace fleet::ctl
