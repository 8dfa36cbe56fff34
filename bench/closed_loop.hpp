#pragma once

// A closed-loop load: `in_flight` slots, each starting its next item as soon as its current
// one is done, until `count` items have run; per item the time from its start to its end.
// What a bot with a fixed number of requests in flight does, whatever the requests are.

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace fleet::bench {

struct loop_figures {
  double seconds = 0;
  int failures = 0;
  std::string first_error;
  /// Milliseconds from start to end, by item.
  std::vector<double> latencies_ms;
};

/// Ends an item: an empty text for success, else what went wrong.
using loop_done = std::function<void(std::string error)>;

/// Starts item `item` in slot `slot` (0..in_flight-1; one item at a time per slot) and calls
/// `done` exactly once when it ends, on any thread.
using loop_start = std::function<void(size_t slot, int item, loop_done done)>;

/// Runs items 0..count-1 with `in_flight` slots and waits until all have ended.
inline loop_figures closed_loop(int count, int in_flight, const loop_start& start) {
  using loop_clock = std::chrono::steady_clock;
  struct run {
    loop_figures out;
    std::vector<loop_clock::time_point> started;
    std::atomic<int> next{0};
    std::atomic<int> slots_left{0};
    std::mutex mtx;
    std::promise<void> all;
  };
  auto r = std::make_shared<run>();
  r->out.latencies_ms.assign(static_cast<size_t>(count), 0.0);
  r->started.resize(static_cast<size_t>(count));
  r->slots_left = in_flight;
  auto step = std::make_shared<std::function<void(size_t)>>();
  *step = [r, step_ref = std::weak_ptr<std::function<void(size_t)>>(step), count,
           &start](size_t slot) {
    auto item = r->next++;
    if (item >= count) {
      if (--r->slots_left == 0)
        r->all.set_value();
      return;
    }
    auto i = static_cast<size_t>(item);
    r->started[i] = loop_clock::now();
    start(slot, item, [r, step_ref, slot, i](std::string error) {
      r->out.latencies_ms[i]
          = std::chrono::duration<double, std::milli>(loop_clock::now() - r->started[i]).count();
      if (!error.empty()) {
        std::lock_guard<std::mutex> guard{r->mtx};
        if (r->out.failures++ == 0)
          r->out.first_error = std::move(error);
      }
      if (auto next = step_ref.lock())
        (*next)(slot);
    });
  };
  auto done = r->all.get_future();
  auto t0 = loop_clock::now();
  for (size_t slot = 0; slot < static_cast<size_t>(in_flight); ++slot)
    (*step)(slot);
  done.wait();
  r->out.seconds = std::chrono::duration<double>(loop_clock::now() - t0).count();
  return std::move(r->out);
}

} // namespace fleet::bench
