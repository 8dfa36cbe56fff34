#include "coordinator/store/backup_worker.hpp"

#include "common/logging.hpp"
#include "coordinator/store/store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

namespace fleet {

backup_schedule::backup_schedule(millis every, std::optional<int64_t> newest_ms, int64_t now_ms)
    : every_(every),
      due_ms_(newest_ms ? std::min(*newest_ms + every.count(), now_ms + every.count()) : now_ms) {
  // nop
}

void backup_schedule::succeeded(int64_t now_ms) noexcept {
  due_ms_ = now_ms + every_.count();
}

void backup_schedule::failed(int64_t now_ms) noexcept {
  due_ms_ = now_ms + std::min(every_, retry_after).count();
}

nlohmann::json to_json(const backup_result& x) {
  nlohmann::json out{{"backup_id", x.backup.id},    {"dir", x.dir},
                     {"time_ms", x.backup.time_ms}, {"size", x.backup.size},
                     {"files", x.backup.files},     {"servers", x.counts.servers},
                     {"clients", x.counts.clients}, {"intents", x.counts.intents},
                     {"events", x.counts.events},   {"ledger", x.counts.ledger},
                     {"took_ms", x.took_ms},        {"kept", x.kept}};
  if (!x.purge_error.empty())
    out["purge_error"] = x.purge_error;
  return out;
}

backup_worker::backup_worker(store& db, const backup_settings& schedule,
                             std::shared_ptr<event_feed> feed, const clock& time)
    : db_(db), feed_(std::move(feed)), time_(time) {
  if (!schedule.dir.empty()) {
    std::error_code ignored;
    dir_ = std::filesystem::absolute(schedule.dir, ignored).lexically_normal().string();
    keep_ = static_cast<uint32_t>(schedule.keep);
    every_ = schedule.every;
  }
  thread_ = std::thread{[this] { run(); }};
}

backup_worker::~backup_worker() {
  stop();
}

void backup_worker::stop() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
  }
  stop_now_ = true;
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

int64_t backup_worker::next_due_ms() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return schedule_ ? schedule_->due_ms() : 0;
}

void backup_worker::request(std::string dir, std::optional<uint32_t> keep, answer done) {
  auto normal = std::filesystem::path{dir}.lexically_normal().string();
  job x{std::move(dir), keep ? *keep : (normal == dir_ ? keep_ : 0), false, std::move(done)};
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (!stopping_) {
      queue_.push_back(std::move(x));
      x.done = nullptr;
    }
  }
  if (x.done)
    x.done(make_error(ec::io_error, "backup: the coordinator is stopping"));
  wake_.notify_all();
}

void backup_worker::run() {
  auto log = log_for("backup");
  if (!dir_.empty()) {
    std::optional<int64_t> newest;
    if (auto all = list_backups(dir_); all && !all->empty())
      newest = all->back().time_ms;
    else if (!all && code_of(all.error()) != ec::not_found)
      log->warn("cannot read the backups in {}: {}; backing up now", dir_, message_of(all.error()));
    std::lock_guard<std::mutex> guard{mtx_};
    schedule_.emplace(every_, newest, time_.wall_ms());
    log->info("backups every {} into {} (keeping {}), the next one in {}", format_duration(every_),
              dir_, keep_,
              format_duration(millis{std::max<int64_t>(0, schedule_->due_ms() - time_.wall_ms())}));
  }
  std::unique_lock<std::mutex> lock{mtx_};
  for (;;) {
    if (stopping_)
      break;
    if (!queue_.empty()) {
      auto x = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      take(x);
      lock.lock();
      continue;
    }
    if (schedule_) {
      auto wait = schedule_->due_ms() - time_.wall_ms();
      if (wait <= 0) {
        job x{dir_, keep_, true, nullptr};
        lock.unlock();
        take(x);
        lock.lock();
        continue;
      }
      wake_.wait_for(lock, millis{wait});
    } else {
      wake_.wait(lock);
    }
  }
  auto left = std::move(queue_);
  lock.unlock();
  for (auto& x : left)
    if (x.done)
      x.done(make_error(ec::io_error, "backup: the coordinator is stopping"));
}

void backup_worker::take(job& x) {
  auto result = db_.back_up(x.dir, x.keep, &stop_now_);
  record(x, result);
  if (x.done)
    x.done(result);
}

void backup_worker::record(const job& x, const caf::expected<backup_result>& result) {
  auto log = log_for("backup");
  auto into_schedule
      = !dir_.empty() && std::filesystem::path{x.dir}.lexically_normal().string() == dir_;
  auto now = time_.wall_ms();
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (schedule_ && into_schedule) {
      if (result)
        schedule_->succeeded(now);
      else if (x.scheduled)
        schedule_->failed(now);
    }
  }
  const char* why = x.scheduled ? "scheduled" : "requested";
  std::vector<event_record> events(1);
  auto& e = events.front();
  e.time_ms = now;
  if (result) {
    log->info("backup {} into {} ({}): {} bytes in {} files, {} ms; {} clients, {} open intents, "
              "{} events; {} in the directory",
              result->backup.id, x.dir, why, result->backup.size, result->backup.files,
              result->took_ms, result->counts.clients, result->counts.intents,
              result->counts.events, result->kept);
    if (!result->purge_error.empty())
      log->warn("deleting older backups in {} failed: {}", x.dir, result->purge_error);
    e.type = "store.backed_up";
    e.data = to_json(*result);
    e.data["scheduled"] = x.scheduled;
  } else {
    auto retry = x.scheduled && into_schedule
                     ? "; the next try in "
                           + format_duration(std::min(every_, backup_schedule::retry_after))
                     : std::string{};
    log->error("backup into {} ({}) failed: {}{}", x.dir, why, message_of(result.error()), retry);
    e.type = "store.backup_failed";
    e.data = {{"dir", x.dir}, {"reason", message_of(result.error())}, {"scheduled", x.scheduled}};
  }
  if (auto err = db_.append_events(events)) {
    log->error("cannot append event {}: {}", e.type, message_of(err));
    return;
  }
  if (feed_)
    feed_->published(e.seq);
}

} // namespace fleet
