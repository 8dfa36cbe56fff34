#include "coordinator/notify/alert_coalescer.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

namespace {

/// Five servers a..e, all up; 10 s window, 60 s hold-down.
alert_coalescer five() {
  alert_coalescer out{alert_timing{10'000, 60'000}};
  for (const char* id : {"a", "b", "c", "d", "e"})
    out.track(id, id, false);
  return out;
}

} // namespace

TEST_CASE("alerts: servers that fall together are one message", "[unit][alerts]") {
  auto alerts = five();
  CHECK_FALSE(alerts.next_due());
  alerts.observe("a", true, 1'000);
  alerts.observe("c", true, 3'000);
  alerts.observe("b", true, 9'000);
  REQUIRE(alerts.next_due() == 11'000);
  CHECK_FALSE(alerts.due(10'999));
  auto text = alerts.due(11'000);
  REQUIRE(text);
  CHECK(*text == "🔴 3 servers down: a, b, c (2 of 5 up)");
  CHECK_FALSE(alerts.due(11'001));
  CHECK_FALSE(alerts.next_due());
}

TEST_CASE("alerts: a repeated state and a change undone within the window say nothing",
          "[unit][alerts]") {
  auto alerts = five();
  alerts.observe("a", false, 1'000); // already up
  CHECK_FALSE(alerts.next_due());
  alerts.observe("a", true, 1'000);
  alerts.observe("a", false, 4'000);
  CHECK_FALSE(alerts.next_due());
  CHECK_FALSE(alerts.due(20'000));
}

TEST_CASE("alerts: a flapping server is announced once per hold-down", "[unit][alerts]") {
  auto alerts = five();
  alerts.observe("a", true, 0);
  CHECK(alerts.due(10'000) == "🔴 server down: a (4 of 5 up)");
  int64_t t = 10'000;
  // Up and down every 5 s for a minute: nothing, it ends down, as announced.
  for (int i = 0; i < 12; ++i) {
    t += 5'000;
    alerts.observe("a", i % 2 == 0 ? false : true, t);
    CHECK_FALSE(alerts.due(t));
  }
  CHECK_FALSE(alerts.next_due());
  // It comes back for good: the recovery goes out when the hold-down is over.
  alerts.observe("a", false, t + 1'000);
  CHECK(t == 70'000);
  REQUIRE(alerts.next_due() == 81'000);
  CHECK_FALSE(alerts.due(80'999));
  CHECK(alerts.due(81'000) == "✅ server recovered: a (5 of 5 up)");
}

TEST_CASE("alerts: all servers down is said loudly, and recovery follows", "[unit][alerts]") {
  alert_coalescer alerts{alert_timing{2'000, 0}};
  for (const char* id : {"a", "b", "c"})
    alerts.track(id, std::string{"panel-"} + id, false);
  alerts.observe("a", true, 0);
  alerts.observe("b", true, 100);
  alerts.observe("c", true, 200);
  auto down = alerts.due(2'000);
  REQUIRE(down);
  CHECK(*down == "🚨 ALL SERVERS DOWN (3 of 3) — 3 servers down: panel-a, panel-b, panel-c");
  alerts.observe("b", false, 3'000);
  alerts.observe("a", false, 3'500);
  // A window after the last message and the first change.
  CHECK_FALSE(alerts.due(4'999));
  CHECK(alerts.due(5'000) == "✅ 2 servers recovered: panel-a, panel-b (2 of 3 up)");
}

TEST_CASE("alerts: servers down at start are not announced, their recovery is", "[unit][alerts]") {
  alert_coalescer alerts{alert_timing{1'000, 0}};
  alerts.track("a", "a", true);
  alerts.track("b", "b", false);
  CHECK_FALSE(alerts.next_due());
  alerts.observe("a", false, 0);
  alerts.observe("x", true, 0); // not tracked before: named by id
  CHECK(alerts.due(1'000) == "🔴 server down: x (2 of 3 up)\n✅ server recovered: a (2 of 3 up)");
}
