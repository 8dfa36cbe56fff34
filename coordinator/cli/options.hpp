#pragma once

#include "common/cli_flags.hpp"

#include <cstdint>
#include <optional>
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
  /// Back up the store into this directory (through the running coordinator when one holds
  /// the store), exit.
  std::string backup_dir;
  /// Restore a backup of this directory into the data dir, exit.
  std::string restore_dir;
  /// Check a backup of this directory, exit.
  std::string verify_dir;
  /// The backup --restore and --verify-backup use; 0 = the newest.
  uint32_t backup_id = 0;
  /// With --backup: how many backups the directory keeps.
  std::optional<uint32_t> keep;
};

/// Parses `args` (without the program name). Unknown flags, missing values and flags that do
/// not go together are errors that name the flag.
[[nodiscard]] caf::expected<coordinator_options>
parse_options(const std::vector<std::string>& args);

/// Returns the usage text.
[[nodiscard]] std::string usage();

} // namespace fleet
