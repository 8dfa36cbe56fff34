#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace fleet {

/// Tells readers of the event log (the API's streams, on their own threads) that events up
/// to some sequence number were written, so they can wait instead of polling the store.
///
/// Thread-safety: every method may be called from any thread.
class event_feed {
public:
  explicit event_feed(uint64_t last = 0) : last_(last) {}

  /// Events up to `seq` are in the store.
  void published(uint64_t seq) {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (seq <= last_)
        return;
      last_ = seq;
    }
    cv_.notify_all();
  }

  /// Waits until an event after `seq` exists, `timeout` passes or `close` is called; returns
  /// the newest sequence number.
  uint64_t wait_after(uint64_t seq, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> guard{mtx_};
    cv_.wait_for(guard, timeout, [&] { return last_ > seq || closed_; });
    return last_;
  }

  /// Wakes every waiter for good (the server is stopping).
  void close() {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      closed_ = true;
    }
    cv_.notify_all();
  }

  [[nodiscard]] bool closed() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return closed_;
  }

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  uint64_t last_;
  bool closed_ = false;
};

} // namespace fleet
