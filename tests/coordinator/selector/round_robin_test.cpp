#include "coordinator/selector/round_robin.hpp"
#include "tests/coordinator/selector/selector_test_support.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

TEST_CASE("round_robin visits servers in turn", "[unit][selector]") {
  auto engine = healthy_engine(equal_servers(3), "round_robin");
  std::vector<std::string> order;
  for (int i = 0; i < 6; ++i)
    order.push_back(pick(engine));
  CHECK(order == std::vector<std::string>{"1", "2", "3", "1", "2", "3"});
}

TEST_CASE("round_robin visits all eligible servers evenly", "[unit][selector]") {
  auto engine = healthy_engine(equal_servers(10, 0), "round_robin");
  auto counts = place(engine, 1000);
  REQUIRE(counts.size() == 10);
  for (const auto& [id, n] : counts)
    CHECK(n == 100);
}

TEST_CASE("round_robin follows weights", "[unit][selector]") {
  auto engine = healthy_engine(
      {server("a", "", 0, 0, 1), server("b", "", 0, 0, 2), server("c", "", 0, 0, 3)},
      "round_robin");
  auto counts = place(engine, 600);
  CHECK(counts["a"] == 100);
  CHECK(counts["b"] == 200);
  CHECK(counts["c"] == 300);
}

TEST_CASE("round_robin skips ineligible servers and resumes after recovery", "[unit][selector]") {
  auto engine = healthy_engine(equal_servers(3), "round_robin");
  engine.view().set_state(1, server_state::unhealthy);
  CHECK(place(engine, 4) == std::map<std::string, int>{{"1", 2}, {"3", 2}});
  selection_criteria c;
  c.exclude_ids = {"1"};
  CHECK(place(engine, 2, c) == std::map<std::string, int>{{"3", 2}});
  engine.view().set_state(1, server_state::healthy);
  auto counts = place(engine, 300);
  // The recovered server joins the rotation without a catch-up burst.
  CHECK(counts["1"] == Approx(100).margin(2));
  CHECK(counts["2"] == Approx(100).margin(2));
  CHECK(counts["3"] == Approx(100).margin(2));
}
