#pragma once

#include "common/config/config.hpp"

#include <ostream>

namespace fleet {

/// Places a few sample users on the configured fleet as if every enabled panel were healthy
/// and empty, and prints each choice with the strategy that made it. Placements are counted,
/// so the output also shows how a burst spreads. Touches no panel.
void print_dry_run(std::ostream& out, const fleet_config& config);

} // namespace fleet
