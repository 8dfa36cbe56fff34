#include "coordinator/selector/least_load.hpp"
#include "tests/coordinator/selector/selector_test_support.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

TEST_CASE("least_load chooses the least loaded server", "[unit][selector]") {
  auto engine
      = healthy_engine({server("1", "", 0, 100), server("2", "", 0, 100), server("3", "", 0, 100)});
  auto& view = engine.view();
  view.set_load_sample(0, 50);
  view.set_load_sample(1, 10);
  view.set_load_sample(2, 30);
  CHECK(pick(engine) == "2");
}

TEST_CASE("least_load compares load, not client counts", "[unit][selector]") {
  auto engine = healthy_engine({server("big", "", 0, 1000), server("small", "", 0, 100)});
  engine.view().set_load_sample(0, 200); // 0.2
  engine.view().set_load_sample(1, 30);  // 0.3
  CHECK(pick(engine) == "big");
}

TEST_CASE("least_load spreads a burst of 1000 placements evenly instead of herding",
          "[unit][selector]") {
  auto engine = healthy_engine(equal_servers(10));
  auto counts = place(engine, 1000);
  REQUIRE(counts.size() == 10);
  for (const auto& [id, n] : counts) {
    INFO(id);
    CHECK(n == 100);
  }
}

TEST_CASE("least_load fills unequal servers to equal load", "[unit][selector]") {
  auto engine = healthy_engine({server("a", "", 0, 300), server("b", "", 0, 100)});
  auto counts = place(engine, 200);
  CHECK(counts["a"] == 150);
  CHECK(counts["b"] == 50);
}

TEST_CASE("least_load stops at the load threshold", "[unit][selector]") {
  auto engine = healthy_engine({server("a", "", 0, 10), server("b", "", 0, 10)});
  // Default threshold 0.8: 8 clients per server.
  auto counts = place(engine, 100);
  CHECK(counts["a"] == 8);
  CHECK(counts["b"] == 8);
  auto failed = engine.select({});
  REQUIRE_FALSE(failed);
  CHECK(code_of(failed.error()) == ec::no_server_available);
}

TEST_CASE("least_load honours min_priority across tiers", "[unit][selector]") {
  auto engine = healthy_engine(
      {server("low", "", 1, 100), server("mid", "", 5, 100), server("high", "", 9, 100)});
  engine.view().set_load_sample(0, 0);
  engine.view().set_load_sample(1, 40);
  engine.view().set_load_sample(2, 20);
  selection_criteria c;
  c.min_priority = 5;
  CHECK(pick(engine, c) == "high");
  c.exclude_ids = {"high"};
  CHECK(pick(engine, c) == "mid");
  c.min_priority.reset();
  CHECK(pick(engine, c) == "low");
}
