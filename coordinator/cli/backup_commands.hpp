#pragma once

#include "common/config/config.hpp"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace fleet {

// The backup modes of fleet-coordinator. Each prints what it did on `out`, or one line naming
// the problem on `err`, and returns the process exit status (0 done, 1 failed).

/// `--backup DIR`: a backup of the store in `data_dir` into `dir` (made absolute from the
/// working directory), keeping the newest `keep` backups there (without: those of
/// `coordinator.backup` when `dir` is its directory, else all). When no coordinator holds the
/// store, takes the backup itself; when one does, asks it through its API at
/// `coordinator.listen` with `FLEET_API_TOKEN` (from `env`) or the first of
/// `coordinator.api_tokens`, so the backup is taken without stopping it. Says which.
int run_backup(std::ostream& out, std::ostream& err, const fleet_config& config,
               const env_lookup& env, const std::string& data_dir, const std::string& dir,
               std::optional<uint32_t> keep);

/// `--restore DIR`: restores backup `id` of `dir` (the newest when 0) into `data_dir`, which
/// must be new or empty, and counts the records there. The restored store is left as the
/// backup had it: its open intents are resolved when a coordinator starts on it.
int run_restore(std::ostream& out, std::ostream& err, const std::string& dir, uint32_t id,
                const std::string& data_dir);

/// `--verify-backup DIR`: checks backup `id` of `dir` (the newest when 0) with
/// `check_backup` and prints its records' counts and the directory's backups.
int run_verify_backup(std::ostream& out, std::ostream& err, const std::string& dir, uint32_t id);

} // namespace fleet
