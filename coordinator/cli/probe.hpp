#pragma once

#include "common/config/config.hpp"

#include <ostream>
#include <string>

namespace fleet {

/// Checks one configured panel with the probes' own health check (`check_panel`): logs in,
/// reads the server status and the inbounds, and prints a short report (verdict, API
/// generation, xray state, inbounds, client counts, response time), or one JSON object with
/// `json`. Returns the process exit status: 0 when the check passed, 1 when it did not (a
/// failed call with its classification, or `xray_down` when xray is not running), 2 when
/// `server_id` is not configured.
int run_probe(std::ostream& out, std::ostream& err, const fleet_config& config,
              const std::string& server_id, bool json);

} // namespace fleet
