#pragma once

#include "common/config/config.hpp"

#include <cstdint>

namespace fleet {

/// Runs an agent until SIGINT or SIGTERM (exit status 0) or until the coordinator refuses it
/// (status 1). `config` must be valid and its TLS material checked.
int run_agent(const fleet_config& config, uint32_t version);

} // namespace fleet
