#include "coordinator/selector/geographic.hpp"
#include "tests/coordinator/selector/selector_test_support.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

namespace {

selection_engine geo_engine(bool routing = true) {
  selection_settings settings;
  settings.default_strategy = "geographic";
  settings.geographic_routing = routing;
  settings.region_fallbacks = {{"EU", {"US"}}};
  selection_engine engine{
      {server("eu1", "EU"), server("eu2", "EU"), server("us1", "US"), server("as1", "ASIA")},
      settings};
  for (slot_index i = 0; i < engine.view().size(); ++i)
    engine.view().set_state(i, server_state::healthy);
  return engine;
}

selection_criteria in(const std::string& region) {
  selection_criteria c;
  c.region = region;
  return c;
}

} // namespace

TEST_CASE("geographic places users in their region, least loaded first", "[unit][selector]") {
  auto engine = geo_engine();
  engine.view().set_load_sample(0, 50);
  CHECK(pick(engine, in("EU")) == "eu2");
  CHECK(pick(engine, in("US")) == "us1");
  CHECK(pick(engine, in("ASIA")) == "as1");
}

TEST_CASE("geographic falls back to configured regions, then to any", "[unit][selector]") {
  auto engine = geo_engine();
  engine.view().set_state(0, server_state::unhealthy);
  engine.view().set_state(1, server_state::unhealthy);
  CHECK(pick(engine, in("EU")) == "us1");
  engine.view().set_state(2, server_state::unhealthy);
  CHECK(pick(engine, in("EU")) == "as1");
  CHECK(pick(engine, in("MARS")) == "as1");
}

TEST_CASE("without geographic_routing a region without eligible servers fails",
          "[unit][selector]") {
  auto engine = geo_engine(false);
  engine.view().set_state(2, server_state::unhealthy);
  CHECK(pick(engine, in("US")) == "error:no_server_available");
  auto d = engine.diagnose(in("US"));
  CHECK(d.reason == "mixed");
  CHECK(d.counts["outside_region"] == 3);
  CHECK(d.counts["unhealthy"] == 1);
}

TEST_CASE("geographic without a region behaves like least_load", "[unit][selector]") {
  auto engine = geo_engine();
  engine.view().set_load_sample(0, 10);
  engine.view().set_load_sample(1, 10);
  engine.view().set_load_sample(2, 10);
  CHECK(pick(engine) == "as1");
}
