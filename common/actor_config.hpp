#pragma once

#include <caf/actor_system_config.hpp>

namespace fleet {

/// Scheduler settings of every fleet process. The fleet's actors see a steady trickle of
/// messages (health reports, panel completions, API requests), not a flood: CAF's default
/// work-stealing workers poll with short sleeps after every message and burn a large share
/// of a core doing so. The sharing policy parks idle workers on a condition variable.
void tune_scheduler(caf::actor_system_config& cfg);

} // namespace fleet
