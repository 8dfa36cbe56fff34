#pragma once

// The inside of `store`, shared by the store's own sources (store.cpp, backups.cpp) and
// nothing else: it is where RocksDB's headers meet the store.

#include "coordinator/store/store.hpp"
#include "coordinator/store/usage_hours.hpp"
#include "coordinator/store/write_health.hpp"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace fleet {

namespace store_detail {

/// The column families, in the order of their handles.
enum family : size_t {
  meta = 0,
  servers_cf,
  clients_cf,
  intents_cf,
  events_cf,
  answers_cf,
  stale_cf,
  ledger_cf,
  client_hours_cf,
  server_hours_cf,
  family_count
};

/// Keys of two names: stale copies by server, then email; ledger entries by email, then
/// server. '\n' occurs in neither.
inline std::string stale_key(const std::string& first, const std::string& second) {
  return first + '\n' + second;
}

} // namespace store_detail

struct store::impl {
  using family = store_detail::family;

  std::string dir;
  /// Held shared by every use of `db` and `cf`, exclusively while they are reopened.
  mutable std::shared_mutex gate;
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> cf;
  /// What `db` was opened with, to open it again.
  rocksdb::DBOptions options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  std::unique_ptr<store_detail::write_health> health;
  uint64_t next_intent = 1;
  std::atomic<uint64_t> last_event{0};
  /// Held while events get their numbers and are written, so that events appended from
  /// two threads (the coordinator and the backups) keep their order.
  std::mutex append_mtx;
  /// Held while a backup runs: one at a time.
  std::mutex backup_mtx;

  ~impl() {
    if (health)
      health->stop();
    close();
  }

  /// Shared use of `db`, for the length of one operation.
  [[nodiscard]] std::shared_lock<std::shared_mutex> use() const {
    return std::shared_lock<std::shared_mutex>{gate};
  }

  void close() {
    for (auto* h : cf)
      if (h != nullptr && db != nullptr)
        db->DestroyColumnFamilyHandle(h);
    cf.clear();
    if (db != nullptr) {
      static_cast<void>(db->Close()); // best effort; the WAL makes the data safe either way
      delete db;
      db = nullptr;
    }
  }

  /// The error of a read while `db` is closed (a reopen failed; it is tried again).
  [[nodiscard]] caf::error closed() const {
    return make_error(ec::io_error, "store: the store in " + dir
                                        + " could not be opened again after it stopped "
                                          "writing; it is tried again every half second");
  }

  /// Opens `db` (closed) and reads the counters kept beside the records.
  rocksdb::Status open_db();

  /// Closes and opens `db` again, while no one uses it: a new write-ahead log, for a store
  /// that stopped writing.
  rocksdb::Status reopen();

  /// Writes `batch`; the outcome is classified by `health` (the one place that does).
  caf::error write(rocksdb::WriteBatch& batch, bool sync, const std::string& what) {
    rocksdb::WriteOptions wo;
    wo.sync = sync;
    auto s = db != nullptr ? db->Write(wo, &batch)
                           : rocksdb::Status::IOError("the store is closed after a failed reopen");
    return health->after_write(s, what);
  }

  void put_ledger(rocksdb::WriteBatch& batch, const std::vector<ledger_record>& xs) {
    for (const auto& x : xs)
      batch.Put(cf[store_detail::ledger_cf], store_detail::stale_key(x.email, x.server_id),
                encode(x));
  }

  void add_hours(rocksdb::WriteBatch& batch, family f, const std::vector<usage_bucket>& xs) {
    for (const auto& x : xs)
      batch.Merge(cf[f], usage_hours::key(x.owner, usage_hours::hour_start(x.hour_ms)),
                  usage_hours::encode(x.bytes));
  }

  caf::expected<std::vector<usage_bucket>> hours(family f, const std::string& owner,
                                                 int64_t from_ms, int64_t to_ms,
                                                 const char* what) const {
    if (db == nullptr)
      return closed();
    // Expired hours may still be on disk until a compaction drops them.
    auto oldest = real_clock().wall_ms() - store::usage_retention_ms;
    return usage_hours::read(*db, cf[f], what, owner, std::max(from_ms, oldest), to_ms);
  }

  template <class Record>
  caf::expected<std::vector<Record>> scan(family f, const char* what) const {
    if (db == nullptr)
      return closed();
    std::vector<Record> out;
    std::unique_ptr<rocksdb::Iterator> it{db->NewIterator(rocksdb::ReadOptions{}, cf[f])};
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      Record x;
      if (auto err = decode(it->value().ToString(), x))
        return make_error(ec::io_error, "store: " + std::string{what} + " " + it->key().ToString()
                                            + ": " + message_of(err));
      out.push_back(std::move(x));
    }
    if (!it->status().ok())
      return store_detail::failed(std::string{"reading "} + what, it->status());
    return out;
  }
};

} // namespace fleet
