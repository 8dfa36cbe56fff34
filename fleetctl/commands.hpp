#pragma once

#include <iosfwd>

#include "fleetctl/api_client.hpp"
#include "fleetctl/command_line.hpp"

namespace fleet::ctl {

/// Exit statuses: 0 done, 1 the coordinator refused or could not be reached, 2 bad usage.
enum exit_status : int { ok = 0, failed = 1, usage_error = 2 };

/// How to use fleetctl.
[[nodiscard]] const char* usage();

/// Runs the command in `cmd` against `api`, printing tables (or JSON with `--json`) to `out`
/// and a one-line error to `err`.
int run_command(const command_line& cmd, api_client& api, std::ostream& out, std::ostream& err);

} // namespace fleet::ctl
