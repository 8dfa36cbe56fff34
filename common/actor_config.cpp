#include "common/actor_config.hpp"

#include <caf/atom.hpp>

namespace fleet {

void tune_scheduler(caf::actor_system_config& cfg) {
  cfg.set("scheduler.policy", caf::atom("sharing"));
}

} // namespace fleet
