#include "common/panel/health_tracker.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace fleet;
using namespace std::chrono_literals;

namespace {

health_tracker tracker() {
  return health_tracker{health_settings::from(3000ms, 2, 3)};
}

} // namespace

TEST_CASE("the first check decides alone", "[unit][health]") {
  auto up = tracker();
  CHECK(up.state() == server_state::unknown);
  CHECK(up.record(check_verdict::passed) == health_transition::changed);
  CHECK(up.state() == server_state::healthy);
  auto down = tracker();
  CHECK(down.record(check_verdict::network_failure, "timeout") == health_transition::changed);
  CHECK(down.state() == server_state::unhealthy);
  CHECK(down.last_error() == "timeout");
}

TEST_CASE("a healthy server falls after unhealthy_threshold network failures", "[unit][health]") {
  auto t = tracker();
  t.record(check_verdict::passed);
  CHECK(t.record(check_verdict::network_failure) == health_transition::pending);
  CHECK(t.record(check_verdict::network_failure) == health_transition::pending);
  CHECK(t.state() == server_state::healthy);
  CHECK(t.record(check_verdict::network_failure) == health_transition::changed);
  CHECK(t.state() == server_state::unhealthy);
  CHECK(t.consecutive_failures() == 3);
  CHECK(t.record(check_verdict::network_failure) == health_transition::unchanged);
}

TEST_CASE("a pass in between resets the fall count", "[unit][health]") {
  auto t = tracker();
  t.record(check_verdict::passed);
  t.record(check_verdict::network_failure);
  t.record(check_verdict::network_failure);
  CHECK(t.record(check_verdict::passed) == health_transition::unchanged);
  t.record(check_verdict::network_failure);
  t.record(check_verdict::network_failure);
  CHECK(t.state() == server_state::healthy);
  CHECK(t.error_count() == 4);
}

TEST_CASE("an unhealthy server rises after healthy_threshold passes", "[unit][health]") {
  auto t = tracker();
  t.record(check_verdict::network_failure);
  CHECK(t.record(check_verdict::passed) == health_transition::pending);
  CHECK(t.state() == server_state::unhealthy);
  CHECK(t.record(check_verdict::passed) == health_transition::changed);
  CHECK(t.state() == server_state::healthy);
}

TEST_CASE("auth failures and a stopped xray take a server down at once", "[unit][health]") {
  for (auto verdict : {check_verdict::auth_failure, check_verdict::xray_down}) {
    auto t = tracker();
    t.record(check_verdict::passed);
    CHECK(t.record(verdict, "why") == health_transition::changed);
    CHECK(t.state() == server_state::unhealthy);
    CHECK(t.last_verdict() == verdict);
  }
}

TEST_CASE("check delays depend on the state, with jitter", "[unit][health]") {
  std::mt19937_64 rng{1};
  auto t = tracker();
  t.record(check_verdict::passed);
  auto stable = t.next_delay(rng);
  CHECK(stable >= 2700ms);
  CHECK(stable <= 3300ms);
  t.record(check_verdict::network_failure);
  auto edge = t.next_delay(rng); // a change is pending: check sooner
  CHECK(edge >= 900ms);
  CHECK(edge <= 1100ms);
  t.record(check_verdict::network_failure);
  t.record(check_verdict::network_failure);
  auto down = t.next_delay(rng); // down: check less often
  CHECK(down >= 5400ms);
  CHECK(down <= 6600ms);
  std::set<millis::rep> distinct;
  for (int i = 0; i < 20; ++i)
    distinct.insert(t.next_delay(rng).count());
  CHECK(distinct.size() > 10);
}

TEST_CASE("refused logins back off exponentially up to a cap", "[unit][health]") {
  std::mt19937_64 rng{1};
  auto settings = health_settings::from(3000ms, 2, 3);
  settings.jitter = 0.0;
  health_tracker t{settings};
  t.record(check_verdict::auth_failure);
  CHECK(t.next_delay(rng) == 3000ms);
  t.record(check_verdict::auth_failure);
  CHECK(t.next_delay(rng) == 6000ms);
  t.record(check_verdict::auth_failure);
  CHECK(t.next_delay(rng) == 12000ms);
  for (int i = 0; i < 20; ++i)
    t.record(check_verdict::auth_failure);
  CHECK(t.next_delay(rng) == 600000ms);
  t.record(check_verdict::passed);
  t.record(check_verdict::passed);
  CHECK(t.next_delay(rng) == 3000ms);
}

TEST_CASE("first checks of many panels spread over the first second", "[unit][health]") {
  std::mt19937_64 rng{5};
  auto t = tracker();
  std::set<millis::rep> seen;
  for (int i = 0; i < 500; ++i) {
    auto d = t.first_delay(rng);
    CHECK(d >= 0ms);
    CHECK(d < 1000ms);
    seen.insert(d.count());
  }
  // Spread, not bunched: most of the 500 draws land on distinct milliseconds.
  CHECK(seen.size() > 300);
  CHECK(*seen.rbegin() > 900);
}

TEST_CASE("first checks of a short interval stay within it", "[unit][health]") {
  std::mt19937_64 rng{6};
  health_tracker t{health_settings::from(200ms, 2, 3)};
  for (int i = 0; i < 100; ++i)
    CHECK(t.first_delay(rng) < 200ms);
}
