#include "coordinator/selector/priority.hpp"
#include "tests/coordinator/selector/selector_test_support.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

TEST_CASE("priority prefers the highest tier, ties by least load", "[unit][selector]") {
  auto engine = healthy_engine({server("low", "", 1), server("hi1", "", 10), server("hi2", "", 10)},
                               "priority");
  engine.view().set_load_sample(0, 0);
  engine.view().set_load_sample(1, 30);
  engine.view().set_load_sample(2, 20);
  CHECK(pick(engine) == "hi2");
  auto counts = place(engine, 20);
  CHECK(counts.count("low") == 0);
  CHECK(counts["hi1"] + counts["hi2"] == 20);
}

TEST_CASE("priority moves to the next tier when the top one is full or down", "[unit][selector]") {
  auto engine = healthy_engine({server("low", "", 1, 10), server("top", "", 10, 10)}, "priority");
  auto counts = place(engine, 10);
  CHECK(counts["top"] == 8);
  CHECK(counts["low"] == 2);
  engine.view().set_load_sample(1, 0);
  engine.view().set_state(1, server_state::unhealthy);
  CHECK(pick(engine) == "low");
}

TEST_CASE("priority honours min_priority", "[unit][selector]") {
  auto engine = healthy_engine({server("low", "", 1), server("top", "", 10)}, "priority");
  engine.view().set_state(1, server_state::unhealthy);
  selection_criteria c;
  c.min_priority = 5;
  CHECK(pick(engine, c) == "error:no_server_available");
}
