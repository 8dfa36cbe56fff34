#pragma once

#include "common/config/config.hpp"

#include <ostream>
#include <string>

namespace fleet {

/// Checks one configured panel the way the fleet will use it: logs in, reads the server status
/// and the inbounds, and prints a short report (API generation, xray state, inbounds, client
/// counts, response time), or one JSON object with `json`. Returns the process exit status:
/// 0 when the panel is usable, 1 when the check failed (the error is printed with its
/// classification), 2 when `server_id` is not configured.
int run_probe(std::ostream& out, std::ostream& err, const fleet_config& config,
              const std::string& server_id, bool json);

} // namespace fleet
