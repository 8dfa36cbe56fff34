#pragma once

#include "common/clock.hpp"
#include "common/config/config.hpp"
#include "coordinator/events/event_feed.hpp"
#include "coordinator/store/backups.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace fleet {

class store;

/// When scheduled backups fall due, in wall-clock milliseconds. Plain arithmetic.
class backup_schedule {
public:
  /// A failed backup is tried again after this long, or after `every` when that is shorter.
  static constexpr millis retry_after{15LL * 60 * 1000};

  /// Due right away when the directory holds no backup (`newest_ms` empty), else `every`
  /// after the newest one, so that restarts neither skip nor repeat backups.
  backup_schedule(millis every, std::optional<int64_t> newest_ms, int64_t now_ms);

  /// A backup into the scheduled directory was taken at `now_ms`.
  void succeeded(int64_t now_ms) noexcept;
  /// A scheduled backup failed at `now_ms`.
  void failed(int64_t now_ms) noexcept;

  [[nodiscard]] int64_t due_ms() const noexcept { return due_ms_; }

private:
  millis every_;
  int64_t due_ms_;
};

/// The answer to a backup, as the API gives it and the command line prints it:
/// `{backup_id, dir, time_ms, size, files, servers, clients, intents, events, ledger,
/// took_ms, kept}`, plus `purge_error` when older backups could not be deleted.
[[nodiscard]] nlohmann::json to_json(const backup_result& x);

/// Takes the store's backups on a thread of its own, so that copying files never holds up
/// the coordinator or the API: those of the schedule (`coordinator.backup`) and those asked
/// for, one at a time, in the order they fall due. Logs each backup (id, size, duration) and
/// each failure, and appends `store.backed_up` or `store.backup_failed` to the event log.
///
/// Thread-safety: `request` may be called from any thread; answers run on the worker's
/// thread. Lifecycle: the thread starts on construction; `stop` (or destruction) ends a
/// running backup early, answers queued requests with an error, and joins. `db` must outlive
/// the worker.
class backup_worker {
public:
  using answer = std::function<void(const caf::expected<backup_result>&)>;

  /// `schedule.dir` empty = backups only on request. `feed` (may be null) learns of the
  /// events the worker appends.
  backup_worker(store& db, const backup_settings& schedule, std::shared_ptr<event_feed> feed,
                const clock& time = real_clock());
  ~backup_worker();

  backup_worker(const backup_worker&) = delete;
  backup_worker& operator=(const backup_worker&) = delete;

  /// Queues a backup into `dir`, keeping the newest `keep` backups there; without `keep`,
  /// the schedule's for its directory and all in any other. `done` gets the outcome.
  void request(std::string dir, std::optional<uint32_t> keep, answer done);

  /// The directory of scheduled backups, absolute; empty without a schedule.
  [[nodiscard]] const std::string& scheduled_dir() const noexcept { return dir_; }

  /// When the next scheduled backup is due (wall-clock ms); 0 without a schedule.
  [[nodiscard]] int64_t next_due_ms() const;

  void stop();

private:
  struct job {
    std::string dir;
    uint32_t keep = 0;
    bool scheduled = false;
    answer done;
  };

  void run();
  void take(job& x);
  void record(const job& x, const caf::expected<backup_result>& result);

  store& db_;
  std::string dir_;
  uint32_t keep_ = 0;
  millis every_{0};
  std::shared_ptr<event_feed> feed_;
  const clock& time_;
  mutable std::mutex mtx_;
  std::condition_variable wake_;
  std::deque<job> queue_;
  std::optional<backup_schedule> schedule_;
  bool stopping_ = false;
  std::atomic<bool> stop_now_{false};
  std::thread thread_;
};

} // namespace fleet
