#pragma once

// A thread of its own that runs one job at a time while the caller waits: a benchmark's
// stand-in for the HTTP engine's I/O thread, where the coordinator parses the panels'
// answers. Its allocations come from another malloc arena than the caller's, as they do in
// the coordinator, whose ledger lives on the actor's side.

#include <condition_variable>
#include <ctime>
#include <functional>
#include <mutex>
#include <pthread.h>
#include <thread>

namespace fleet::bench {

class worker_thread {
public:
  worker_thread() : thread_([this] { loop(); }) {
    pthread_getcpuclockid(thread_.native_handle(), &clock_);
  }

  ~worker_thread() {
    {
      std::lock_guard<std::mutex> lock{mutex_};
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  worker_thread(const worker_thread&) = delete;
  worker_thread& operator=(const worker_thread&) = delete;

  /// Runs `job` on the worker; returns once it is done.
  void run(std::function<void()> job) {
    std::unique_lock<std::mutex> lock{mutex_};
    job_ = std::move(job);
    wake_.notify_all();
    wake_.wait(lock, [this] { return !job_; });
  }

  /// CPU seconds the worker has used so far.
  [[nodiscard]] double cpu_seconds() const {
    timespec t{};
    clock_gettime(clock_, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
  }

private:
  void loop() {
    std::unique_lock<std::mutex> lock{mutex_};
    for (;;) {
      wake_.wait(lock, [this] { return stop_ || job_; });
      if (stop_)
        return;
      job_();
      job_ = nullptr;
      wake_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::function<void()> job_;
  bool stop_ = false;
  clockid_t clock_{};
  /// Last: the thread starts once everything it uses exists.
  std::thread thread_;
};

} // namespace fleet::bench
