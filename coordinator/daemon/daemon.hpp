#pragma once

#include "common/config/config.hpp"
#include "coordinator/api/config_reloader.hpp"

#include <string>

namespace fleet {

/// Runs the coordinator until SIGINT or SIGTERM (SIGHUP reloads `source`): opens the store in
/// `data_dir`, restores the last known state, spawns the coordinator actor and one probe actor per
/// enabled panel, then shuts everything down cleanly. Returns the process exit status (1 when the
/// store cannot be opened, e.g. because another instance holds it).
int run_daemon(const fleet_config& config, const std::string& data_dir, reload_source source);

} // namespace fleet
