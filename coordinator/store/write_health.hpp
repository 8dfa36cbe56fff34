#pragma once

// Inside the store only (RocksDB's headers meet the store here): whether the store can write,
// the one mapping of RocksDB's statuses to errors of the product, the resuming of writes after
// a full or failing disk, and RocksDB's own log.

#include "coordinator/store/store.hpp"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/listener.h>

#include <condition_variable>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace fleet::store_detail {

/// A failed read (or open) of the store: `io_error` naming `what` and RocksDB's status.
[[nodiscard]] caf::error failed(const std::string& what, const rocksdb::Status& s);

/// Whether a write that failed with `s` means that the store cannot write at all now (disk
/// full, file system read-only or failing, RocksDB stopped by a background error), rather
/// than that this one write was wrong.
[[nodiscard]] bool stops_writes(const rocksdb::Status& s);

/// What the store in `dir` cannot do because of `s` and what to do about it, in one sentence
/// ("the state store cannot write: No space left on device; free space on ...").
[[nodiscard]] std::string unwritable_reason(const std::string& dir, const rocksdb::Status& s);

/// Tracks whether the store can write and brings it back. When a write fails because the
/// store cannot write (or a flush fails in the background), RocksDB refuses every write from
/// then on. A thread of its own then checks the data dir every `store::resume_interval` and,
/// once its file system is writable with room to spare, reopens the DB, which starts a new
/// write-ahead log. `DB::Resume()` is not used: with every memtable empty it keeps the failed
/// log, and the next write to it aborts the process (an assertion this build of RocksDB
/// keeps). RocksDB's own recovery calls it, so it is turned off as well (it would also wait for
/// a memtable's size, 64 MiB, of free space).
///
/// Thread-safety: every method may be called from any thread. Lifecycle: `listener()` goes
/// into the options before the DB opens; `attach` after it opened; `stop` before it closes.
class write_health {
public:
  explicit write_health(std::string dir);
  ~write_health();

  write_health(const write_health&) = delete;
  write_health& operator=(const write_health&) = delete;

  /// Hears RocksDB's background errors and turns its own recovery off.
  [[nodiscard]] std::shared_ptr<rocksdb::EventListener> listener();

  /// Starts the thread that calls `reopen` while the store cannot write (and the data dir has
  /// room); `reopen` closes and opens the DB again, and says whether it could.
  void attach(std::function<rocksdb::Status()> reopen);

  /// Ends that thread; the DB may close afterwards.
  void stop();

  /// The outcome `s` of a write of `what`: none when it succeeded (and the store writes
  /// again, if it did not), else `store_unavailable` with the reason when the store cannot
  /// write (and it stops writing), or `io_error`.
  [[nodiscard]] caf::error after_write(const rocksdb::Status& s, const std::string& what);

  /// A background error RocksDB reports (a flush or compaction failed).
  void background_error(const rocksdb::Status& s);

  [[nodiscard]] store_condition condition() const;

  void on_change(std::function<void()> f);

private:
  /// Records the new condition; calls the observer when it changed.
  void mark(bool writable, const std::string& reason);
  void run();

  std::string dir_;
  std::function<rocksdb::Status()> reopen_;
  mutable std::mutex mtx_;
  std::condition_variable wake_;
  store_condition now_;
  bool stopping_ = false;
  std::function<void()> observer_;
  std::thread resumer_;
};

/// RocksDB's log: every line to `LOG` in the store's directory (as RocksDB's own log would,
/// for its event records), and warnings and errors to the coordinator's "store" log too.
/// Failed writes of the file are ignored, unlike RocksDB's own log, which aborts the process
/// (an assertion this build of the library keeps) once a full disk failed one line. The file
/// is started again as `LOG.old` when it outgrows `max_bytes`.
class store_log final : public rocksdb::Logger {
public:
  store_log(std::string dir, long max_bytes = 16L << 20);
  ~store_log() override;

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override;
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override;

private:
  void write_line(const char* text);

  std::string path_;
  long max_bytes_;
  std::mutex mtx_;
  std::FILE* file_ = nullptr;
};

} // namespace fleet::store_detail
