#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace fleet {

/// Tells readers of the event log (the API's streams) that events up to some sequence number
/// were written, so they can wait for the next one instead of polling the store.
///
/// Thread-safety: every method may be called from any thread. Wake-ups run on the thread
/// that publishes or closes (or on the caller's, when there is no need to wait), outside the
/// feed's lock, and must be quick.
class event_feed {
public:
  explicit event_feed(uint64_t last = 0) : last_(last) {}

  /// Events up to `seq` are in the store.
  void published(uint64_t seq) {
    std::vector<std::function<void()>> due;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (seq <= last_)
        return;
      last_ = seq;
      due.swap(waiters_);
    }
    std::lock_guard<std::mutex> waking{wake_mtx_};
    for (auto& wake : due)
      wake();
  }

  /// Calls `wake` once, when an event after `seq` exists or the feed is closed.
  void on_after(uint64_t seq, std::function<void()> wake) {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (last_ <= seq && !closed_) {
        waiters_.push_back(std::move(wake));
        return;
      }
    }
    wake();
  }

  /// Wakes every waiter for good (the server is stopping); returns once no wake-up runs
  /// anywhere and none will run except at once for a later `on_after`.
  void close() {
    std::vector<std::function<void()>> due;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      closed_ = true;
      due.swap(waiters_);
    }
    std::lock_guard<std::mutex> waking{wake_mtx_};
    for (auto& wake : due)
      wake();
  }

  [[nodiscard]] bool closed() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return closed_;
  }

private:
  mutable std::mutex mtx_;
  /// Held while wake-ups run, so `close` can wait for those of a concurrent `published`.
  std::mutex wake_mtx_;
  uint64_t last_;
  bool closed_ = false;
  std::vector<std::function<void()>> waiters_;
};

} // namespace fleet
