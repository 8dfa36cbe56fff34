#include "coordinator/store/write_health.hpp"

#include "common/clock.hpp"
#include "common/logging.hpp"

#include <spdlog/spdlog.h>

#include <cstdarg>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <sys/statvfs.h>
#include <unistd.h>

namespace fleet::store_detail {

namespace {

bool says(const rocksdb::Status& s, const char* what) {
  return s.ToString().find(what) != std::string::npos;
}

/// Whether the file system of `dir` takes writes with room to spare (a reopen writes a new
/// log, a manifest and an options file before anything else): 1 MiB free, and a small file
/// written, synced and removed. A file system that went read-only after an error may still
/// say it is writable; closing the DB there would leave nothing to read from.
bool room_in(const std::string& dir) {
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0)
    return false;
  constexpr unsigned long long spare = 1ULL << 20;
  if ((fs.f_flag & ST_RDONLY) != 0
      || static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize < spare)
    return false;
  auto probe = (std::filesystem::path{dir} / "WRITE-PROBE").string();
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return false;
  char page[4096] = {};
  bool ok
      = ::write(fd, page, sizeof(page)) == static_cast<ssize_t>(sizeof(page)) && ::fsync(fd) == 0;
  ::close(fd);
  ::unlink(probe.c_str());
  return ok;
}

/// Hears RocksDB's background errors for `write_health`, and keeps RocksDB from recovering
/// by itself (see `write_health`).
class listener final : public rocksdb::EventListener {
public:
  explicit listener(write_health& health) : health_(health) {}

  void OnBackgroundError(rocksdb::BackgroundErrorReason, rocksdb::Status* error) override {
    if (error != nullptr && error->severity() >= rocksdb::Status::Severity::kHardError)
      health_.background_error(*error);
  }

  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status,
                            bool* auto_recovery) override {
    if (auto_recovery != nullptr)
      *auto_recovery = false;
  }

private:
  write_health& health_;
};

} // namespace

caf::error failed(const std::string& what, const rocksdb::Status& s) {
  return make_error(ec::io_error, "store: " + what + ": " + s.ToString());
}

bool stops_writes(const rocksdb::Status& s) {
  return !s.ok() && (s.IsIOError() || s.IsCorruption());
}

std::string unwritable_reason(const std::string& dir, const rocksdb::Status& s) {
  std::string head = "the state store cannot write: ";
  std::string tail = "; writes resume by themselves within seconds, no restart needed";
  if (s.IsNoSpace() || s.subcode() == rocksdb::Status::kSpaceLimit || says(s, "No space left"))
    return head + "No space left on device; free space on the file system of " + dir + tail;
  if (says(s, "Read-only file system"))
    return head + "the file system of " + dir + " is read-only; remount it read-write" + tail;
  if (s.IsCorruption())
    return head + "the store in " + dir + " is damaged (" + s.ToString()
           + "); restore it from a backup";
  return head + s.ToString() + "; check the disk of " + dir + " (dmesg)" + tail;
}

write_health::write_health(std::string dir) : dir_(std::move(dir)) {
  // nop
}

write_health::~write_health() {
  stop();
}

std::shared_ptr<rocksdb::EventListener> write_health::listener() {
  return std::make_shared<store_detail::listener>(*this);
}

void write_health::attach(std::function<rocksdb::Status()> reopen) {
  reopen_ = std::move(reopen);
  resumer_ = std::thread{[this] { run(); }};
}

void write_health::stop() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
    observer_ = nullptr;
  }
  wake_.notify_all();
  if (resumer_.joinable())
    resumer_.join();
}

caf::error write_health::after_write(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) {
    if (!condition().writable)
      mark(true, "");
    return caf::none;
  }
  if (!stops_writes(s))
    return failed(what, s);
  auto reason = unwritable_reason(dir_, s);
  mark(false, reason);
  return make_error(ec::store_unavailable, reason + " (" + what + ")");
}

void write_health::background_error(const rocksdb::Status& s) {
  mark(false, unwritable_reason(dir_, s));
}

store_condition write_health::condition() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return now_;
}

void write_health::on_change(std::function<void()> f) {
  std::lock_guard<std::mutex> guard{mtx_};
  observer_ = std::move(f);
}

void write_health::mark(bool writable, const std::string& reason) {
  std::function<void()> tell;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (now_.writable == writable)
      return;
    now_.writable = writable;
    now_.reason = reason;
    now_.since_ms = real_clock().wall_ms();
    ++now_.changes;
    tell = observer_;
  }
  if (!writable)
    wake_.notify_all();
  if (tell)
    tell();
}

void write_health::run() {
  auto log = log_for("store");
  std::unique_lock<std::mutex> lock{mtx_};
  while (!stopping_) {
    if (now_.writable) {
      wake_.wait(lock, [this] { return stopping_ || !now_.writable; });
      continue;
    }
    wake_.wait_for(lock, store::resume_interval, [this] { return stopping_; });
    if (stopping_ || now_.writable || !room_in(dir_))
      continue;
    lock.unlock();
    auto s = reopen_();
    if (s.ok())
      mark(true, "");
    else
      log->debug("the store in {} cannot be reopened yet: {}", dir_, s.ToString());
    lock.lock();
  }
}

store_log::store_log(std::string dir, long max_bytes)
    : path_((std::filesystem::path{dir} / "LOG").string()), max_bytes_(max_bytes) {
  SetInfoLogLevel(rocksdb::InfoLogLevel::INFO_LEVEL);
  file_ = std::fopen(path_.c_str(), "a");
}

store_log::~store_log() {
  if (file_ != nullptr)
    std::fclose(file_);
}

void store_log::Logv(const char* format, va_list ap) {
  Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
}

void store_log::Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) {
  if (level < GetInfoLogLevel())
    return;
  char text[4096];
  std::vsnprintf(text, sizeof(text), format, ap);
  write_line(text);
  // Errors reach the coordinator's log too. Warnings stay in LOG: the failures they describe
  // (a locked data dir, a failed open) come back as statuses the store reports itself.
  if (level >= rocksdb::InfoLogLevel::ERROR_LEVEL) {
    static const auto log = log_for("store");
    log->error("rocksdb: {}", text);
  }
}

void store_log::write_line(const char* text) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (file_ != nullptr && std::ftell(file_) > max_bytes_) {
    std::fclose(file_);
    std::error_code ignored;
    std::filesystem::rename(path_, path_ + ".old", ignored);
    file_ = std::fopen(path_.c_str(), "a");
  }
  if (file_ == nullptr)
    return;
  auto now = std::time(nullptr);
  std::tm parts{};
  ::gmtime_r(&now, &parts);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y/%m/%d-%H:%M:%S", &parts);
  // A full disk fails the write; the line is lost and the next one is tried.
  if (std::fprintf(file_, "%s %s\n", stamp, text) < 0 || std::fflush(file_) != 0)
    std::clearerr(file_);
}

} // namespace fleet::store_detail
