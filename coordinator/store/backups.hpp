#pragma once

// Backups of the store: a backup directory holds numbered, checksummed backups (RocksDB's
// BackupEngine) that share the files they have in common. `store::back_up` takes them; the
// functions here read, check and restore them without a store open, so they work on a
// machine where no coordinator runs.
//
// Thread-safety: the functions may be called from any thread. Reading a backup directory
// while the coordinator adds a backup to it sees the backups as they were before.

#include "common/error.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace fleet {

/// How many records each part of a store holds.
struct record_counts {
  uint64_t servers = 0;
  uint64_t clients = 0;
  /// Intents begun but not completed (resolved by asking the panels at the next start).
  uint64_t intents = 0;
  uint64_t events = 0;
  /// Traffic ledger entries (one per client and server).
  uint64_t ledger = 0;
  /// Copies of moved clients left on their old servers.
  uint64_t stale = 0;
  /// Kept answers of idempotent creates.
  uint64_t answers = 0;
};

/// One backup of a backup directory.
struct backup_info {
  /// Increasing from 1 within its directory, never reused.
  uint32_t id = 0;
  /// When it was taken, in ms since the epoch (to the second).
  int64_t time_ms = 0;
  /// Bytes of its files (files shared with other backups count in each).
  uint64_t size = 0;
  uint32_t files = 0;
};

/// What `store::back_up` did.
struct backup_result {
  backup_info backup;
  /// The directory, as given.
  std::string dir;
  /// Of the store just before the backup began (writes may have come in meanwhile).
  record_counts counts;
  int64_t took_ms = 0;
  /// Backups left in the directory.
  size_t kept = 0;
  /// Why deleting older backups failed (the new backup is there all the same); empty when
  /// it did not.
  std::string purge_error;
};

/// What `check_backup` found.
struct backup_check {
  backup_info backup;
  /// Read from a restored copy of the backup.
  record_counts counts;
  /// Every backup of the directory, oldest first.
  std::vector<backup_info> all;
};

/// Whether `dir` holds a store (a coordinator's data dir, used or stopped).
[[nodiscard]] bool holds_store(const std::string& dir);

/// The backups of `dir`, oldest first. Fails with `not_found` when `dir` does not exist and
/// with `io_error` when it cannot be read as a backup directory.
[[nodiscard]] caf::expected<std::vector<backup_info>> list_backups(const std::string& dir);

/// Checks backup `id` of `dir` (the newest when 0) without trusting it: every file there with
/// its size and checksum, then restores it into a temporary directory, opens that as a store
/// and reads every record, and removes the copy. Fails with `not_found` (no such directory or
/// backup) or `io_error` naming what is damaged.
[[nodiscard]] caf::expected<backup_check> check_backup(const std::string& dir, uint32_t id);

/// Restores backup `id` of `dir` (the newest when 0) into `target`, which must not exist or
/// be empty (`conflict` otherwise). The files are written next to `target` and moved there
/// when complete, so a failed restore leaves no half store behind. Nothing in the restored
/// store changes: its open intents are resolved when a coordinator starts on it, like after
/// any restart.
[[nodiscard]] caf::expected<backup_info> restore_backup(const std::string& dir, uint32_t id,
                                                        const std::string& target);

} // namespace fleet
