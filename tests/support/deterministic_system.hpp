#pragma once

// A CAF actor system on CAF 0.17's test coordinator, for actor tests without sleeps: every
// actor runs on the test's thread when the test says so, and time is virtual (delayed
// messages fire when the test moves the clock). Assert on the test thread only.

#include "common/clock.hpp"
#include "common/protocol.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/send.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace fleet::test {

/// `fleet::clock` over CAF's virtual clock: the steady clock is CAF's, the wall clock starts
/// at `wall_start` and moves with it.
class virtual_clock final : public clock {
public:
  virtual_clock(const caf::detail::test_actor_clock& caf_clock, int64_t wall_start)
      : caf_clock_(caf_clock), wall_start_(wall_start), steady_start_(caf_clock.now()) {
    // nop
  }

  [[nodiscard]] int64_t wall_ms() const override {
    return wall_start_
           + std::chrono::duration_cast<std::chrono::milliseconds>(steady() - steady_start_)
                 .count();
  }

  [[nodiscard]] std::chrono::steady_clock::time_point steady() const override {
    return caf_clock_.now();
  }

private:
  const caf::detail::test_actor_clock& caf_clock_;
  int64_t wall_start_;
  std::chrono::steady_clock::time_point steady_start_;
};

/// The actor system, its manual scheduler and a `fleet::clock` that follows its virtual
/// clock. Actors passed to `keep` are shut down before the system goes.
class deterministic_system {
public:
  using duration = caf::timespan;

  deterministic_system()
      : sys_(init(cfg_)), sched_(dynamic_cast<caf::scheduler::test_coordinator&>(sys_.scheduler())),
        time_(sched_.clock(), 1'700'000'000'000) {
    start_ = sched_.clock().now();
  }

  ~deterministic_system() {
    for (auto& a : kept_)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    consume();
  }

  deterministic_system(const deterministic_system&) = delete;
  deterministic_system& operator=(const deterministic_system&) = delete;

  [[nodiscard]] caf::actor_system& sys() noexcept { return sys_; }
  [[nodiscard]] const fleet::clock& time() const noexcept { return time_; }

  /// Shuts `handle` down with the system; returns it.
  template <class Handle>
  Handle keep(Handle handle) {
    kept_.push_back(caf::actor_cast<caf::actor>(handle));
    return handle;
  }

  /// Runs every actor with mail until none has any; time stands still. Returns the number of
  /// messages processed.
  size_t consume() {
    size_t n = 0;
    while (sched_.try_run_once())
      ++n;
    return n;
  }

  /// Moves time forward by `by`, firing the timers due on the way in order, each followed by
  /// the messages it causes (which may set timers due before the end). Returns the number of
  /// timers fired.
  size_t advance(duration by) {
    auto until = sched_.clock().now() + by;
    size_t fired = 0;
    consume();
    for (;;) {
      const auto& pending = sched_.clock().schedule();
      if (pending.empty() || pending.begin()->first > until)
        break;
      sched_.trigger_timeout();
      ++fired;
      consume();
    }
    sched_.clock().current_time = until;
    return fired;
  }

  /// Fires the next timer, moving time to it, and runs what it causes. Returns false when
  /// no timer is set.
  bool fire_next() {
    consume();
    if (!sched_.has_pending_timeout())
      return false;
    sched_.trigger_timeout();
    consume();
    return true;
  }

  /// Virtual time since the system started.
  [[nodiscard]] duration elapsed() const { return sched_.clock().now() - start_; }

private:
  static caf::actor_system_config& init(caf::actor_system_config& cfg) {
    cfg.set("scheduler.policy", caf::atom("testing"));
    add_protocol_types(cfg);
    return cfg;
  }

  caf::actor_system_config cfg_;
  caf::actor_system sys_;
  caf::scheduler::test_coordinator& sched_;
  virtual_clock time_;
  std::chrono::steady_clock::time_point start_;
  std::vector<caf::actor> kept_;
};

/// The answer to a request, once it arrived.
template <class T>
using answer = std::shared_ptr<std::optional<caf::expected<T>>>;

/// Sends a request to `dest` from a short-lived actor; the answer (or the error) lands in
/// the returned slot when the system has run. `T` is the reply type.
template <class T, class Handle, class... Ts>
answer<T> ask(deterministic_system& ds, const Handle& dest, Ts... xs) {
  auto slot = std::make_shared<std::optional<caf::expected<T>>>();
  // The name argument: CAF's spawn of an argument-less function trips UBSan.
  ds.sys().spawn(
      [slot, dest, xs...](caf::event_based_actor* self, const char*) {
        self->request(dest, caf::infinite, xs...)
            .then([slot](T& x) { *slot = std::move(x); },
                  [slot](caf::error& err) { *slot = std::move(err); });
      },
      "asker");
  return slot;
}

/// Ends `dest` with `reason` as if it had failed (as after an exception escaped one of its
/// handlers): its links and monitors see `reason`. `anon_send_exit` takes only exit reasons.
template <class Handle>
void fail_actor(const Handle& dest, caf::error reason) {
  dest->enqueue(nullptr, caf::make_message_id(),
                caf::make_message(caf::exit_msg{dest->address(), std::move(reason)}), nullptr);
}

/// What a stand-in coordinator received.
struct coordinator_inbox {
  std::vector<health_report> health;
  std::vector<operations_report> operations;
};

/// A coordinator that records the reports it receives in `inbox`.
inline caf::behavior recording_coordinator(caf::event_based_actor*,
                                           std::shared_ptr<coordinator_inbox> inbox) {
  return {
      [inbox](health_atom, const health_report& r) { inbox->health.push_back(r); },
      [inbox](health_atom, const operations_report& r) { inbox->operations.push_back(r); },
  };
}

} // namespace fleet::test
