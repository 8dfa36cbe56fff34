#include "coordinator/registry/health_history.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

namespace {

constexpr int64_t minute = health_history::minute_ms;
/// Some minute boundary in 2026.
constexpr int64_t t0 = 29'500'000 * minute;

} // namespace

TEST_CASE("checks of one minute are summed into one sample", "[unit][registry]") {
  health_history h;
  h.record(t0 + 1'000, true, 40);
  h.record(t0 + 20'000, true, 60);
  h.record(t0 + 59'999, false, 5'000);
  auto w = h.window(t0 + 59'999);
  REQUIRE(w.size() == 1);
  CHECK(w[0].minute_ms == t0);
  CHECK(w[0].checks == 3);
  CHECK(w[0].passed == 2);
  CHECK(w[0].mean_response_ms() == 50);
  CHECK(w[0].response_ms_max == 60);
  CHECK(w[0].availability() == Approx(2.0 / 3.0));
}

TEST_CASE("the window holds the last day, oldest first, and forgets what is older",
          "[unit][registry]") {
  health_history h;
  h.record(t0, true, 10);
  h.record(t0 + 10 * minute, false, 0);
  h.record(t0 + 5 * minute, true, 30);
  auto w = h.window(t0 + 10 * minute);
  REQUIRE(w.size() == 3);
  CHECK(w[0].minute_ms == t0);
  CHECK(w[1].minute_ms == t0 + 5 * minute);
  CHECK(w[2].minute_ms == t0 + 10 * minute);
  CHECK(w[2].availability() == 0.0);
  CHECK(w[2].mean_response_ms() == 0);
  // A day later the first minute has left the window, then its slot is reused.
  CHECK(h.window(t0 + health_history::day_minutes * minute).size() == 2);
  h.record(t0 + health_history::day_minutes * minute, true, 99);
  w = h.window(t0 + health_history::day_minutes * minute);
  REQUIRE(w.size() == 3);
  CHECK(w[2].minute_ms == t0 + health_history::day_minutes * minute);
  CHECK(w[2].checks == 1);
  CHECK(w[2].mean_response_ms() == 99);
}

TEST_CASE("a check older than the window is ignored and the ring stays bounded",
          "[unit][registry]") {
  health_history h{60};
  for (int64_t i = 0; i < 600; ++i)
    h.record(t0 + i * minute, i % 2 == 0, 20);
  auto now = t0 + 599 * minute;
  auto w = h.window(now);
  REQUIRE(w.size() == 60);
  CHECK(w.front().minute_ms == now - 59 * minute);
  h.record(t0, true, 1); // long gone
  auto again = h.window(now);
  REQUIRE(again.size() == 60);
  CHECK(again.front().minute_ms == now - 59 * minute);
}

TEST_CASE("a history never checked is empty and bad times are ignored", "[unit][registry]") {
  health_history h;
  CHECK(h.window(t0).empty());
  h.record(-5, true, 10);
  CHECK(h.window(t0).empty());
  h.record(t0, true, -7); // a negative response time counts as 0
  auto w = h.window(t0);
  REQUIRE(w.size() == 1);
  CHECK(w[0].mean_response_ms() == 0);
  CHECK(health_history{0}.minutes() == 1);
}
