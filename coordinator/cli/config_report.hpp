#pragma once

#include "common/config/config.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

namespace fleet {

/// Prints a short summary of a valid fleet: settings and one line per server. Never prints
/// passwords or tokens; it says which kind of credential a server uses.
void print_summary(std::ostream& out, const fleet_config& config);

/// The problems `print_problems` prints, as JSON for the API: `[{level, field, reason}]`,
/// `level` "error" or "warning".
[[nodiscard]] nlohmann::json problems_json(const field_problems& problems);

} // namespace fleet
