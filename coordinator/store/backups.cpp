#include "coordinator/store/backups.hpp"

#include "coordinator/store/store.hpp"
#include "coordinator/store/store_impl.hpp"

#include <rocksdb/utilities/backup_engine.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>

namespace fleet {

namespace fs = std::filesystem;

namespace {

using namespace store_detail;

caf::error backup_failed(const std::string& what, const rocksdb::Status& s) {
  return make_error(ec::io_error, "backup: " + what + ": " + s.ToString());
}

backup_info info_of(const rocksdb::BackupInfo& x) {
  return {x.backup_id, x.timestamp * 1000, x.size, x.number_files};
}

template <class Engine>
caf::expected<std::unique_ptr<Engine>> open_engine(const std::string& dir) {
  Engine* raw = nullptr;
  auto s = Engine::Open(rocksdb::BackupEngineOptions{dir}, rocksdb::Env::Default(), &raw);
  std::unique_ptr<Engine> out{raw};
  if (!s.ok())
    return backup_failed("cannot open backup dir " + dir, s);
  return out;
}

/// An existing directory's backups, read only.
caf::expected<std::unique_ptr<rocksdb::BackupEngineReadOnly>>
open_existing(const std::string& dir) {
  std::error_code fs_err;
  if (!fs::is_directory(dir, fs_err))
    return make_error(ec::not_found, "backup: there is no backup directory " + dir);
  if (!fs::exists(fs::path{dir} / "meta", fs_err))
    return make_error(ec::not_found, "backup: " + dir + " holds no backup");
  return open_engine<rocksdb::BackupEngineReadOnly>(dir);
}

/// Backup `id` of `dir` (the newest when 0), refused when it is known to be damaged.
caf::expected<rocksdb::BackupInfo> find_backup(const rocksdb::BackupEngineReadOnlyBase& engine,
                                               const std::string& dir, uint32_t id) {
  std::vector<rocksdb::BackupID> damaged;
  engine.GetCorruptedBackups(&damaged);
  std::vector<rocksdb::BackupInfo> good;
  engine.GetBackupInfo(&good);
  if (id == 0 && !good.empty())
    id = std::max_element(good.begin(), good.end(), [](const auto& x, const auto& y) {
           return x.backup_id < y.backup_id;
         })->backup_id;
  if (std::find(damaged.begin(), damaged.end(), id) != damaged.end())
    return make_error(ec::io_error, "backup: backup " + std::to_string(id) + " of " + dir
                                        + " is damaged (its description is unreadable or "
                                          "names missing files)");
  for (const auto& x : good)
    if (x.backup_id == id)
      return x;
  if (good.empty())
    return make_error(ec::not_found,
                      "backup: " + dir + " holds no backup"
                          + (damaged.empty() ? std::string{}
                                             : " that can be read ("
                                                   + std::to_string(damaged.size()) + " damaged)"));
  return make_error(ec::not_found, "backup: " + dir + " has no backup " + std::to_string(id)
                                       + "; its backups are "
                                       + std::to_string(good.front().backup_id) + " to "
                                       + std::to_string(good.back().backup_id));
}

/// `target` as one absolute path without a trailing separator.
fs::path plain_path(const std::string& target) {
  std::error_code ignored;
  auto p = fs::absolute(target, ignored).lexically_normal();
  return p.has_filename() ? p : p.parent_path();
}

caf::error refuse_occupied(const fs::path& target) {
  std::error_code fs_err;
  if (!fs::exists(target, fs_err))
    return caf::none;
  if (!fs::is_directory(target, fs_err))
    return make_error(ec::conflict, "backup: " + target.string()
                                        + " exists and is not a directory; restore into a new "
                                          "or empty directory");
  if (!fs::is_empty(target, fs_err))
    return make_error(ec::conflict, "backup: " + target.string()
                                        + " is not empty; restore into a new or empty directory "
                                          "(what is there is left alone)");
  return caf::none;
}

/// Where `target` is restored before it is moved into place.
fs::path staging_of(const fs::path& target) {
  auto out = target;
  out += ".restoring-" + std::to_string(std::random_device{}());
  return out;
}

/// Restores `backup` into `target` through `staging`, a directory next to it, moved into
/// place when complete. A failed restore may leave `staging` behind, and the engine's
/// threads may still write there until the engine is gone: remove it after that.
caf::error restore_into(const rocksdb::BackupEngineReadOnlyBase& engine, const std::string& dir,
                        const rocksdb::BackupInfo& backup, const fs::path& target,
                        const fs::path& staging) {
  if (auto err = refuse_occupied(target))
    return err;
  std::error_code fs_err;
  fs::create_directories(target.parent_path(), fs_err);
  if (fs_err)
    return make_error(ec::io_error, "backup: cannot create " + target.parent_path().string() + ": "
                                        + fs_err.message());
  auto s = engine.RestoreDBFromBackup(rocksdb::RestoreOptions{}, backup.backup_id, staging.string(),
                                      staging.string());
  if (!s.ok())
    return backup_failed("restoring backup " + std::to_string(backup.backup_id) + " of " + dir, s);
  if (fs::exists(target, fs_err))
    fs::remove(target, fs_err); // empty, checked above
  fs::rename(staging, target, fs_err);
  if (fs_err)
    return make_error(ec::io_error, "backup: cannot move the restored store to " + target.string()
                                        + ": " + fs_err.message());
  return caf::none;
}

/// A backup directory opened for reading, and one backup of it.
struct opened_backup {
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine;
  rocksdb::BackupInfo info;
};

caf::expected<opened_backup> open_backup(const std::string& dir, uint32_t id) {
  auto engine = open_existing(dir);
  if (!engine)
    return std::move(engine.error());
  auto info = find_backup(**engine, dir, id);
  if (!info)
    return std::move(info.error());
  return opened_backup{std::move(*engine), std::move(*info)};
}

/// Restores `x` into `target` and closes its engine, leaving nothing but a complete store.
caf::error restore_and_close(opened_backup& x, const std::string& dir, const fs::path& target) {
  auto staging = staging_of(target);
  auto err = restore_into(*x.engine, dir, x.info, target, staging);
  x.engine.reset();
  std::error_code fs_err;
  fs::remove_all(staging, fs_err);
  return err;
}

} // namespace

bool holds_store(const std::string& dir) {
  std::error_code fs_err;
  return fs::exists(fs::path{dir} / "CURRENT", fs_err);
}

caf::expected<std::vector<backup_info>> list_backups(const std::string& dir) {
  std::error_code fs_err;
  if (fs::is_directory(dir, fs_err) && !fs::exists(fs::path{dir} / "meta", fs_err))
    return std::vector<backup_info>{};
  auto engine = open_existing(dir);
  if (!engine)
    return std::move(engine.error());
  std::vector<rocksdb::BackupInfo> infos;
  (*engine)->GetBackupInfo(&infos);
  std::vector<backup_info> out;
  for (const auto& x : infos)
    out.push_back(info_of(x));
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
  return out;
}

caf::expected<backup_info> restore_backup(const std::string& dir, uint32_t id,
                                          const std::string& target) {
  if (target.empty())
    return make_error(ec::invalid_argument, "backup: no directory to restore into");
  auto backup = open_backup(dir, id);
  if (!backup)
    return std::move(backup.error());
  if (auto err = restore_and_close(*backup, dir, plain_path(target)))
    return err;
  return info_of(backup->info);
}

caf::expected<backup_check> check_backup(const std::string& dir, uint32_t id) {
  auto backup = open_backup(dir, id);
  if (!backup)
    return std::move(backup.error());
  backup_check out;
  out.backup = info_of(backup->info);
  auto name = "backup: backup " + std::to_string(out.backup.id) + " of " + dir;
  if (auto s = backup->engine->VerifyBackup(out.backup.id, true); !s.ok())
    return make_error(ec::io_error, name + " is damaged: " + s.ToString());
  std::error_code no_tmp;
  auto tmp = fs::temp_directory_path(no_tmp);
  if (no_tmp)
    return make_error(ec::io_error, "backup: no temporary directory to restore a copy into ("
                                        + no_tmp.message() + "); check TMPDIR");
  auto copy = tmp / ("fleet-backup-check-" + std::to_string(std::random_device{}()));
  auto check = [&]() -> caf::error {
    if (auto err = restore_and_close(*backup, dir, copy))
      return err;
    auto restored = store::open(copy.string());
    if (!restored)
      return make_error(ec::io_error, name + " restores to a store that does not open: "
                                          + message_of(restored.error()));
    auto counts = (*restored)->count_records();
    if (!counts)
      return make_error(ec::io_error, name + " restores to a store that cannot be read: "
                                          + message_of(counts.error()));
    out.counts = *counts;
    return caf::none;
  };
  auto err = check();
  std::error_code fs_err;
  fs::remove_all(copy, fs_err);
  if (err)
    return err;
  auto all = list_backups(dir);
  if (!all)
    return std::move(all.error());
  out.all = std::move(*all);
  return out;
}

caf::expected<record_counts> store::count_records() const {
  auto in_use = impl_->use();
  if (impl_->db == nullptr)
    return impl_->closed();
  auto* db = impl_->db;
  struct pinned {
    rocksdb::DB* db;
    const rocksdb::Snapshot* at;
    ~pinned() { db->ReleaseSnapshot(at); }
  } snapshot{db, db->GetSnapshot()};
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot.at;
  record_counts out;
  for (auto [f, n] : {std::pair{servers_cf, &out.servers}, std::pair{clients_cf, &out.clients},
                      std::pair{intents_cf, &out.intents}, std::pair{events_cf, &out.events},
                      std::pair{ledger_cf, &out.ledger}, std::pair{stale_cf, &out.stale},
                      std::pair{answers_cf, &out.answers}}) {
    std::unique_ptr<rocksdb::Iterator> it{db->NewIterator(ro, impl_->cf[f])};
    for (it->SeekToFirst(); it->Valid(); it->Next())
      ++*n;
    if (!it->status().ok())
      return failed("counting records", it->status());
  }
  return out;
}

caf::expected<backup_result> store::back_up(const std::string& dir, uint32_t keep,
                                            const std::atomic<bool>* stop) {
  std::lock_guard<std::mutex> guard{impl_->backup_mtx};
  auto began = std::chrono::steady_clock::now();
  backup_result out;
  out.dir = dir;
  auto counts = count_records();
  if (!counts)
    return std::move(counts.error());
  out.counts = *counts;
  std::error_code fs_err;
  fs::create_directories(dir, fs_err);
  if (fs_err)
    return make_error(ec::io_error,
                      "backup: cannot create backup dir " + dir + ": " + fs_err.message());
  auto engine = open_engine<rocksdb::BackupEngine>(dir);
  if (!engine)
    return std::move(engine.error());
  auto& e = **engine;
  rocksdb::CreateBackupOptions options;
  // Flushing first keeps the copied logs short, so that the next backup shares more files.
  options.flush_before_backup = true;
  options.progress_callback = [&e, stop] {
    if (stop != nullptr && stop->load())
      e.StopBackup();
  };
  if (stop != nullptr && stop->load())
    return make_error(ec::io_error, "backup: stopped before backing up into " + dir);
  rocksdb::BackupID id = 0;
  auto in_use = impl_->use();
  if (impl_->db == nullptr)
    return impl_->closed();
  if (auto s = e.CreateNewBackup(options, impl_->db, &id); !s.ok())
    return s.IsIncomplete()
               ? make_error(ec::io_error, "backup: stopped before the backup into " + dir
                                              + " was complete; nothing was kept")
               : backup_failed("backing up into " + dir, s);
  if (keep > 0)
    if (auto s = e.PurgeOldBackups(keep); !s.ok())
      out.purge_error = s.ToString();
  rocksdb::BackupInfo info;
  if (auto s = e.GetBackupInfo(id, &info); !s.ok())
    return backup_failed("reading back backup " + std::to_string(id) + " of " + dir, s);
  out.backup = info_of(info);
  std::vector<rocksdb::BackupInfo> all;
  e.GetBackupInfo(&all);
  out.kept = all.size();
  out.took_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - began)
                    .count();
  return out;
}

} // namespace fleet
