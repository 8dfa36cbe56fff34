#include "coordinator/evacuation/evacuation_policy.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace std::chrono_literals;

namespace {

using strings = std::vector<std::string>;

/// `n` enabled servers s1..sn, the ones in `failing` failing.
std::vector<evacuation_candidate> fleet_of(int n, const strings& failing) {
  std::vector<evacuation_candidate> out;
  for (int i = 1; i <= n; ++i) {
    auto id = "s" + std::to_string(i);
    out.push_back({id, true, std::find(failing.begin(), failing.end(), id) != failing.end()});
  }
  return out;
}

} // namespace

TEST_CASE("a failing server is due after evacuate_after without a pause", "[evacuation]") {
  evacuation_policy rule{10'000ms, 20};
  auto servers = fleet_of(10, {"s1"});
  auto first = rule.review(servers, false, 1'000);
  CHECK(first.start.empty());
  CHECK(first.waiting.at("s1") == 11'000);
  CHECK(rule.review(servers, false, 10'999).start.empty());
  CHECK(rule.review(servers, false, 11'000).start == strings{"s1"});
  // Started once per run of failures.
  CHECK(rule.review(servers, false, 30'000).start.empty());
}

TEST_CASE("a server that passes a check in between starts waiting again", "[evacuation]") {
  evacuation_policy rule{10'000ms, 20};
  CHECK(rule.review(fleet_of(10, {"s1"}), false, 0).start.empty());
  CHECK(rule.review(fleet_of(10, {}), false, 9'000).start.empty());
  auto again = rule.review(fleet_of(10, {"s1"}), false, 12'000);
  CHECK(again.start.empty());
  CHECK(again.waiting.at("s1") == 22'000);
}

TEST_CASE("nothing is evacuated in panic mode", "[evacuation]") {
  evacuation_policy rule{1'000ms, 100};
  auto servers = fleet_of(4, {"s1", "s2", "s3"});
  CHECK(rule.review(servers, true, 0).start.empty());
  auto later = rule.review(servers, true, 5'000);
  CHECK(later.start.empty());
  REQUIRE(later.held_back.size() == 3);
  CHECK_THAT(later.held_back.at("s1"), Catch::StartsWith("panic mode"));
  // The panic ends with the same servers failing: they go, under the budget.
  CHECK(rule.review(servers, false, 6'000).start.size() == 3);
}

TEST_CASE("at most max_evacuation_percent of the fleet starts per window", "[evacuation]") {
  evacuation_policy rule{10'000ms, 20};
  auto servers = fleet_of(10, {"s1", "s2", "s3", "s4"});
  CHECK(rule.budget(10) == 2);
  CHECK(rule.budget(3) == 1); // at least one
  static_cast<void>(rule.review(servers, false, 0));
  auto due = rule.review(servers, false, 10'000);
  CHECK(due.start == strings{"s1", "s2"});
  CHECK(due.held_back.size() == 2);
  CHECK_THAT(due.held_back.at("s3"),
             Catch::Contains("2 of at most 2 evacuations started in the last 10s")
                 && Catch::Contains("partition"));
  // The window moves on: two more may start once the first two are older than it.
  CHECK(rule.review(servers, false, 19'999).start.empty());
  CHECK(rule.review(servers, false, 20'001).start == strings{"s3", "s4"});
}

TEST_CASE("an operator's evacuation counts against the window", "[evacuation]") {
  evacuation_policy rule{10'000ms, 10}; // one per window in a fleet of ten
  rule.started_by_operator("s9", 0);
  auto servers = fleet_of(10, {"s1"});
  static_cast<void>(rule.review(servers, false, 0));
  CHECK(rule.review(servers, false, 10'000).start == strings{"s1"});
  evacuation_policy busy{10'000ms, 10};
  static_cast<void>(busy.review(servers, false, 0));
  busy.started_by_operator("s9", 9'000);
  CHECK(busy.review(servers, false, 10'000).start.empty());
}

TEST_CASE("evacuate_after 0 never evacuates on its own", "[evacuation]") {
  evacuation_policy rule{0ms, 100};
  CHECK_FALSE(rule.enabled());
  auto servers = fleet_of(3, {"s1"});
  static_cast<void>(rule.review(servers, false, 0));
  auto later = rule.review(servers, false, 1'000'000);
  CHECK(later.start.empty());
  CHECK(later.waiting.empty());
}
