// The probe actor on the deterministic scheduler: its panel answers by hand (scripted_panel)
// and time is CAF's virtual clock, so schedules and delays are assertions, not sleeps.

#include "common/panel/probe_actor.hpp"
#include "common/panel/probe_supervision.hpp"
#include "tests/common/panel/scripted_panel.hpp"
#include "tests/support/answers.hpp"
#include "tests/support/deterministic_system.hpp"
#include "tests/support/log_capture.hpp"

#include <caf/duration.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;
using namespace std::chrono_literals;

namespace {

client_order order(const std::string& email) {
  client_order o;
  o.email = email;
  o.uuid = "uuid-" + email;
  return o;
}

/// A probe of server "p1" checking every second, its scripted panel and a stand-in
/// coordinator.
struct probe_fixture {
  deterministic_system ds;
  std::shared_ptr<scripted_panel> panel = std::make_shared<scripted_panel>();
  std::shared_ptr<coordinator_inbox> inbox = std::make_shared<coordinator_inbox>();
  caf::actor coordinator = ds.keep(ds.sys().spawn(recording_coordinator, inbox));
  management_settings settings;

  probe_fixture() {
    settings.health_check_interval = 1s;
    settings.health_check_timeout = 500ms;
    settings.max_retries = 2;
    settings.retry_delay = 100ms;
  }

  probe_setup setup() {
    probe_setup s;
    s.server.id = "p1";
    s.settings = settings;
    s.coordinator = coordinator;
    s.panel = panel;
    s.time = &ds.time();
    return s;
  }

  probe_actor start() { return ds.keep(spawn_probe(ds.sys(), setup())); }

  /// Asks `probe` to add the client `email` and runs what follows.
  answer<int64_t> place(const probe_actor& probe, const std::string& email) {
    auto a = ask<int64_t>(ds, probe, place_atom_v, order(email));
    ds.consume();
    return a;
  }

  /// Virtual time since the epoch of the steady clock, as the probe sees it (in whole
  /// milliseconds, the probe's resolution).
  [[nodiscard]] millis steady_now() const {
    return std::chrono::duration_cast<millis>(ds.time().steady().time_since_epoch());
  }
};

/// The code of an answer that arrived and failed.
template <class T>
ec error_of(const answer<T>& a) {
  return code_of(failure(a));
}

placement_outcome placed_on(int64_t inbound, std::vector<std::string> refused = {}) {
  return placement_outcome{inbound, "vless", std::move(refused)};
}

} // namespace

TEST_CASE_METHOD(probe_fixture, "a probe checks on ticks of the virtual clock and reports results",
                 "[unit][probe]") {
  start();
  // The first check comes within one interval, on a tick (a twentieth of the interval).
  REQUIRE(ds.fire_next());
  REQUIRE(panel->checks.size() == 1);
  CHECK(ds.elapsed() < 1s + 50ms);
  CHECK((steady_now() % 50).count() == 0);
  auto started_ms = ds.time().wall_ms();
  ds.advance(30ms); // the check takes 30 ms
  panel->answer_check(check_verdict::passed);
  ds.consume();
  REQUIRE(inbox->health.size() == 1);
  const auto& first = inbox->health.front();
  CHECK(first.server_id == "p1");
  CHECK(first.changed);
  CHECK(first.state == server_state::healthy);
  CHECK(first.checked_at_ms == started_ms);
  CHECK(first.availability == 1.0);
  // The next one follows an interval later (+-10 % jitter), again on a tick.
  auto answered = ds.elapsed();
  REQUIRE(ds.fire_next());
  REQUIRE(panel->checks.size() == 1);
  CHECK(ds.elapsed() - answered >= 900ms);
  CHECK(ds.elapsed() - answered <= 1100ms + 50ms);
  CHECK((steady_now() % 50).count() == 0);
  panel->answer_check(check_verdict::network_failure, "panel_timeout: too slow");
  ds.consume();
  REQUIRE(inbox->health.size() == 2);
  CHECK_FALSE(inbox->health.back().changed); // one failure is below the fall threshold
  CHECK(inbox->health.back().consecutive_failures == 1);
  CHECK(inbox->health.back().availability == 0.5);
}

TEST_CASE_METHOD(probe_fixture, "additions arriving while a call runs go into the next call",
                 "[unit][probe]") {
  auto probe = start();
  auto a = place(probe, "a");
  REQUIRE(panel->places.size() == 1);
  CHECK(panel->places.front().orders.size() == 1);
  CHECK_FALSE(panel->places.front().target.has_value()); // the first batch looks first
  auto b = place(probe, "b");
  auto c = place(probe, "c");
  CHECK(panel->places.size() == 1); // one call at a time
  panel->answer_place(placed_on(3));
  ds.consume();
  CHECK(value(a) == 3);
  REQUIRE(panel->places.size() == 1);
  const auto& next = panel->places.front();
  REQUIRE(next.orders.size() == 2);
  CHECK(next.orders[0].email == "b");
  CHECK(next.orders[1].email == "c");
  REQUIRE(next.target.has_value()); // where the last batch went
  CHECK(next.target->inbound_id == 3);
  CHECK_FALSE(next.verify);
  panel->answer_place(placed_on(3, {"c"}));
  ds.consume();
  CHECK(value(b) == 3);
  CHECK(error_of(c) == ec::conflict);
  CHECK(panel->places.empty());
  CHECK(inbox->operations.empty()); // nothing failed
}

TEST_CASE_METHOD(probe_fixture, "retries wait retry_delay times the attempt on the virtual clock",
                 "[unit][probe]") {
  auto probe = start();
  auto a = place(probe, "a");
  REQUIRE(panel->places.size() == 1);
  panel->answer_place(make_error(ec::panel_unavailable, "add clients: HTTP 500"));
  ds.advance(99ms);
  CHECK(panel->places.empty());
  ds.advance(1ms); // attempt 1 failed: 100 ms
  REQUIRE(panel->places.size() == 1);
  CHECK(panel->places.front().verify); // it may have reached the panel: look first
  panel->answer_place(make_error(ec::panel_timeout, "add clients: timed out"));
  ds.advance(199ms);
  CHECK(panel->places.empty());
  ds.advance(1ms); // attempt 2 failed: 200 ms
  REQUIRE(panel->places.size() == 1);
  CHECK_FALSE(a->has_value());
  panel->answer_place(make_error(ec::panel_unavailable, "add clients: HTTP 502"));
  ds.consume(); // max_retries (2) used up: the answer is the error
  CHECK(error_of(a) == ec::panel_unavailable);
  ds.advance(1s);
  CHECK(panel->places.empty());
  REQUIRE(inbox->operations.size() == 3);
  CHECK(inbox->operations[2].consecutive_failures == 3);
}

TEST_CASE_METHOD(probe_fixture,
                 "where a client is, is asked of the panel only once its addition is answered",
                 "[unit][probe]") {
  auto probe = start();
  auto added = place(probe, "A");
  REQUIRE(panel->places.size() == 1);
  panel->answer_place(make_error(ec::panel_timeout, "add clients: timed out"));
  ds.consume();
  // The coordinator asks while the probe still means to try again (as after a lost agent).
  auto where = ask<int64_t>(ds, probe, verify_atom_v, std::string{"a"});
  ds.consume();
  CHECK(panel->ops.empty());
  ds.advance(100ms); // the retry
  REQUIRE(panel->places.size() == 1);
  panel->answer_place(placed_on(3));
  ds.consume();
  CHECK(value(added) == 3);
  REQUIRE(panel->ops.size() == 1);
  auto op = panel->next_op();
  CHECK(op.what == "locate");
  CHECK(op.email == "a");
  op.succeed();
  ds.consume();
  CHECK(value(where) == 7);
}

TEST_CASE_METHOD(probe_fixture, "a permanent failure is answered at once without retries",
                 "[unit][probe]") {
  auto probe = start();
  auto a = place(probe, "a");
  panel->answer_place(make_error(ec::unauthenticated, "login refused"));
  ds.consume();
  CHECK(error_of(a) == ec::unauthenticated);
  CHECK(inbox->operations.empty()); // a refusal is not a network failure
}

TEST_CASE_METHOD(probe_fixture, "failed changes are reported with growing counts until one works",
                 "[unit][probe]") {
  auto probe = start();
  for (int i = 1; i <= 3; ++i) {
    auto r = ask<bool>(ds, probe, remove_atom_v, std::string{"u1"});
    ds.consume();
    REQUIRE(panel->ops.size() == 1);
    panel->next_op().fail(make_error(ec::panel_timeout, "delete client: timed out"));
    ds.consume();
    CHECK(error_of(r) == ec::panel_timeout);
    REQUIRE(inbox->operations.size() == static_cast<size_t>(i));
    CHECK(inbox->operations.back().consecutive_failures == i);
    CHECK(inbox->operations.back().server_id == "p1");
    CHECK_THAT(inbox->operations.back().last_error, Catch::Contains("timed out"));
  }
  // Reads neither count nor end the run: the active checks read the panel already.
  auto read = ask<client_usage>(ds, probe, usage_atom_v, std::string{"u1"});
  ds.consume();
  panel->next_op().succeed();
  auto timed_out = ask<int64_t>(ds, probe, verify_atom_v, std::string{"u1"});
  ds.consume();
  panel->next_op().fail(make_error(ec::panel_timeout, "list inbounds: timed out"));
  ds.consume();
  CHECK(value(read).up == 100);
  CHECK(error_of(timed_out) == ec::panel_timeout);
  CHECK(inbox->operations.size() == 3);
  // The code of an update of `email` that the panel fails with `err`.
  auto failed_update = [&](const std::string& email, caf::error err) {
    auto a = ask<int64_t>(ds, probe, amend_atom_v, order(email));
    ds.consume();
    panel->next_op().fail(std::move(err));
    ds.consume();
    return error_of(a);
  };
  // A refusal that is not about the request counts like a network failure.
  CHECK(failed_update("u1", make_error(ec::panel_error, "update client: database is locked"))
        == ec::panel_error);
  REQUIRE(inbox->operations.size() == 4);
  CHECK(inbox->operations.back().consecutive_failures == 4);
  // A domain error says the panel works: it ends the run.
  CHECK(failed_update("nobody", make_error(ec::not_found, "no client nobody")) == ec::not_found);
  REQUIRE(inbox->operations.size() == 5);
  CHECK(inbox->operations.back().consecutive_failures == 0);
  CHECK(inbox->operations.back().last_error.empty());
  // Further successes are not reported.
  auto r = ask<bool>(ds, probe, remove_atom_v, std::string{"u1"});
  ds.consume();
  panel->next_op().succeed();
  ds.consume();
  CHECK(value(r));
  CHECK(inbox->operations.size() == 5);
}

TEST_CASE_METHOD(probe_fixture, "every request of the typed interface gets the panel's answer",
                 "[unit][probe]") {
  auto probe = start();
  auto verified = ask<int64_t>(ds, probe, verify_atom_v, std::string{"u1"});
  auto amended = ask<int64_t>(ds, probe, amend_atom_v, order("u1"));
  auto removed = ask<bool>(ds, probe, remove_atom_v, std::string{"u1"});
  auto usage = ask<client_usage>(ds, probe, usage_atom_v, std::string{"u1"});
  auto inventory = ask<std::vector<panel_entry>>(ds, probe, inventory_atom_v);
  ds.consume();
  REQUIRE(panel->ops.size() == 5);
  std::vector<std::string> calls;
  while (!panel->ops.empty()) {
    auto op = panel->next_op();
    calls.push_back(op.what);
    op.succeed();
  }
  CHECK(calls == std::vector<std::string>{"locate", "amend", "remove", "usage", "inventory"});
  ds.consume();
  CHECK(value(verified) == 7);
  CHECK(value(amended) == 9);
  CHECK(value(removed));
  CHECK(value(usage).down == 200);
  REQUIRE(value(inventory).size() == 1);
  CHECK(value(inventory).front().email == "u1");
}

namespace {

struct supervisor_state {
  static inline const char* name = "supervisor";
  std::map<std::string, probe_actor> probes;
  std::shared_ptr<spdlog::logger> log = spdlog::default_logger();
};

/// Supervises one probe the way the coordinator and the agent do; counts its starts.
caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self, probe_setup setup,
                         std::shared_ptr<int> starts) {
  auto start = [self, setup, starts] {
    self->state.probes[setup.server.id] = spawn_linked_probe(self, setup);
    ++*starts;
  };
  start();
  supervise_probes(self);
  return {
      [start](restart_probe_atom, const std::string&) { start(); },
      [self](caf::get_atom) {
        return caf::actor_cast<caf::actor>(self->state.probes.begin()->second);
      },
  };
}

} // namespace

TEST_CASE_METHOD(probe_fixture, "a failed probe is started again after the restart delay",
                 "[unit][probe]") {
  auto starts = std::make_shared<int>(0);
  auto sup = ds.keep(ds.sys().spawn(supervisor, setup(), starts));
  ds.consume();
  REQUIRE(*starts == 1);
  auto old = ask<caf::actor>(ds, sup, caf::get_atom_v);
  ds.consume();
  fail_actor(value(old), caf::make_error(caf::sec::runtime_error, "injected failure"));
  ds.consume();
  auto failed_at = ds.elapsed();
  ds.advance(probe_restart_delay - 1ms);
  CHECK(*starts == 1);
  ds.advance(1ms);
  REQUIRE(*starts == 2);
  CHECK(ds.elapsed() - failed_at == probe_restart_delay);
  auto now = ask<caf::actor>(ds, sup, caf::get_atom_v);
  ds.consume();
  CHECK(value(now) != value(old));
  // The new probe checks the panel and reports.
  panel->checks.clear();
  ds.advance(1100ms);
  REQUIRE_FALSE(panel->checks.empty());
  panel->answer_check(check_verdict::passed);
  ds.consume();
  CHECK_FALSE(inbox->health.empty());
}

TEST_CASE_METHOD(probe_fixture,
                 "a probe drops a message it does not understand by its type names and goes on",
                 "[unit][probe]") {
  log_capture logged{"probe"};
  auto probe = start();
  // As a decoder may make it from a peer's bytes: CAF's own rendering of a duration whose
  // unit is out of range reads a null pointer.
  caf::duration bad{static_cast<caf::time_unit>(200), 7};
  auto dropped = ask<int64_t>(ds, caf::actor_cast<caf::actor>(probe), place_atom_v, bad);
  ds.consume();
  CHECK(failure(dropped) == caf::sec::unexpected_message);
  CHECK_THAT(logged.text(), Catch::Contains("the probe of server p1 dropped an unexpected "
                                            "message (@atom, @duration) from actor "));
  auto a = place(probe, "a");
  REQUIRE(panel->places.size() == 1);
  panel->answer_place(placed_on(3));
  ds.consume();
  CHECK(value(a) == 3);
}
