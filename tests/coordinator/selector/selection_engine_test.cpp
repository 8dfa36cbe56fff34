#include "coordinator/selector/selection_engine.hpp"
#include "tests/coordinator/selector/selector_test_support.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

TEST_CASE("preferred_id is chosen when eligible", "[unit][selector]") {
  auto engine = healthy_engine(equal_servers(3));
  engine.view().set_load_sample(2, 500);
  selection_criteria c;
  c.preferred_id = "3";
  auto chosen = engine.select(c);
  REQUIRE(chosen);
  CHECK(chosen->server_id == "3");
  CHECK(chosen->strategy == "preferred");
}

TEST_CASE("preferred_id fails over to the strategy when not eligible", "[unit][selector]") {
  auto engine = healthy_engine(equal_servers(3, 10));
  selection_criteria c;
  c.preferred_id = "1";
  engine.view().set_state(0, server_state::unhealthy);
  CHECK(pick(engine, c) == "2");
  engine.view().set_state(0, server_state::healthy);
  engine.view().set_load_sample(0, 9);
  CHECK(pick(engine, c) == "2");
  engine.view().set_load_sample(0, 0);
  c.exclude_ids = {"1"};
  CHECK(pick(engine, c) == "2");
  c.preferred_id = "unknown";
  c.exclude_ids.clear();
  CHECK(pick(engine, c) == "1");
}

TEST_CASE("exclude_ids are never chosen by any strategy", "[unit][selector]") {
  for (const auto* strategy : {"least_load", "round_robin", "random", "geographic", "priority"}) {
    INFO(strategy);
    auto engine = healthy_engine(equal_servers(5, 0), strategy);
    selection_criteria c;
    c.exclude_ids = {"1", "3", "5"};
    auto counts = place(engine, 200, c);
    CHECK(counts.count("1") == 0);
    CHECK(counts.count("3") == 0);
    CHECK(counts.count("5") == 0);
    CHECK(counts["2"] + counts["4"] == 200);
  }
}

TEST_CASE("max_load tightens the configured threshold", "[unit][selector]") {
  auto engine = healthy_engine({server("a", "", 0, 100), server("b", "", 0, 100)});
  engine.view().set_load_sample(0, 40);
  engine.view().set_load_sample(1, 60);
  selection_criteria c;
  c.max_load = 0.5;
  CHECK(pick(engine, c) == "a");
  engine.view().set_load_sample(0, 50);
  CHECK(pick(engine, c) == "error:no_server_available");
  c.max_load = 0.95; // cannot loosen the configured 0.8
  engine.view().set_load_sample(0, 85);
  engine.view().set_load_sample(1, 80);
  CHECK(pick(engine, c) == "error:no_server_available");
}

TEST_CASE("a region is a hard filter for non-geographic strategies", "[unit][selector]") {
  for (const auto* strategy : {"least_load", "round_robin", "random", "priority"}) {
    INFO(strategy);
    auto engine = healthy_engine({server("eu", "EU"), server("us", "US")}, strategy);
    selection_criteria c;
    c.region = "US";
    auto counts = place(engine, 20, c);
    CHECK(counts == std::map<std::string, int>{{"us", 20}});
    engine.view().set_state(1, server_state::unhealthy);
    CHECK(pick(engine, c) == "error:no_server_available");
  }
}

TEST_CASE("no_server_available says why nothing is eligible", "[unit][selector]") {
  auto engine = healthy_engine({server("a", "EU", 1, 10), server("b", "EU", 1, 10)});
  auto& view = engine.view();
  selection_criteria c;
  c.user_id = "12345";

  SECTION("all unhealthy") {
    view.set_state(0, server_state::unhealthy);
    view.set_state(1, server_state::unknown);
    auto d = engine.diagnose(c);
    CHECK(d.reason == "all_unhealthy");
    CHECK(d.message == "no server available for user 12345: 2 servers: 1 unhealthy, 1 unknown");
    auto failed = engine.select(c);
    REQUIRE_FALSE(failed);
    CHECK(code_of(failed.error()) == ec::no_server_available);
    CHECK(message_of(failed.error()) == d.message);
  }
  SECTION("all full") {
    view.set_load_sample(0, 8);
    view.set_load_sample(1, 9);
    auto d = engine.diagnose(c);
    CHECK(d.reason == "all_full");
    CHECK(d.message == "no server available for user 12345: 2 servers: 2 full (load >= 0.80)");
  }
  SECTION("none in region") {
    c.region = "US";
    CHECK(pick(engine, c) == "error:no_server_available");
    auto d = engine.diagnose(c);
    CHECK(d.reason == "none_in_region");
    CHECK(d.message
          == "no server available for user 12345: 2 servers: 2 outside_region (wanted US)");
  }
  SECTION("all excluded") {
    c.exclude_ids = {"a", "b"};
    CHECK(engine.diagnose(c).reason == "all_excluded");
  }
  SECTION("disabled and draining") {
    view.set_state(0, server_state::disabled);
    view.set_state(1, server_state::disabled);
    CHECK(engine.diagnose(c).reason == "all_disabled");
    view.set_state(0, server_state::draining);
    view.set_state(1, server_state::draining);
    CHECK(engine.diagnose(c).reason == "all_draining");
    view.set_state(1, server_state::disabled);
    auto d = engine.diagnose(c);
    CHECK(d.reason == "mixed");
    CHECK(d.counts == std::map<std::string, int64_t>{{"disabled", 1}, {"draining", 1}});
  }
  SECTION("below min_priority") {
    c.min_priority = 2;
    CHECK(pick(engine, c) == "error:no_server_available");
    auto d = engine.diagnose(c);
    CHECK(d.reason == "all_below_min_priority");
    CHECK_THAT(d.message, Catch::Contains("(min_priority 2)"));
  }
}

TEST_CASE("an empty fleet has its own reason", "[unit][selector]") {
  selection_engine engine{{}, selection_settings{}};
  CHECK(pick(engine) == "error:no_server_available");
  CHECK(engine.diagnose({}).reason == "no_servers");
}

TEST_CASE("selection does not count as a placement", "[unit][selector]") {
  auto engine = healthy_engine(equal_servers(2));
  for (int i = 0; i < 5; ++i)
    CHECK(pick(engine) == "1");
  auto chosen = engine.select({});
  REQUIRE(chosen);
  engine.record_placement(chosen->slot);
  CHECK(pick(engine) == "2");
}
