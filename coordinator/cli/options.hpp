#pragma once

#include "common/cli_flags.hpp"

#include <string>
#include <vector>

namespace fleet {

/// Command line of fleet-coordinator.
struct coordinator_options : common_flags {
  /// Print where sample users would be placed on a fresh, healthy fleet, exit.
  bool dry_run = false;
  /// Overrides `coordinator.data_dir`.
  std::string data_dir;
  /// Check one panel (its id) and exit.
  std::string probe_id;
  /// Machine-readable output where supported (--probe).
  bool json = false;
};

/// Parses `args` (without the program name). Unknown flags and missing values are errors
/// that name the flag.
[[nodiscard]] caf::expected<coordinator_options>
parse_options(const std::vector<std::string>& args);

/// Returns the usage text.
[[nodiscard]] std::string usage();

} // namespace fleet
