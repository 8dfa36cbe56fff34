#include "coordinator/selector/fleet_view.hpp"
#include "tests/coordinator/selector/selector_test_support.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

TEST_CASE("only healthy servers are scope members", "[unit][selector]") {
  fleet_view view;
  auto a = view.add(server("a", "EU"));
  auto b = view.add(server("b", "EU"));
  auto c = view.add(server("c", "US"));
  CHECK(view.scope(whole_fleet).members.empty());
  view.set_state(a, server_state::healthy);
  view.set_state(b, server_state::healthy);
  view.set_state(c, server_state::unhealthy);
  CHECK(view.scope(whole_fleet).members == std::vector<slot_index>{a, b});
  auto eu = view.find_scope("EU").value();
  CHECK(view.scope(eu).members == std::vector<slot_index>{a, b});
  CHECK(view.scope(view.find_scope("US").value()).members.empty());
  view.set_state(b, server_state::draining);
  CHECK(view.scope(eu).members == std::vector<slot_index>{a});
  CHECK_FALSE(view.slot(b).available());
  view.set_state(b, server_state::healthy);
  view.set_state(c, server_state::healthy);
  CHECK(view.scope(whole_fleet).by_load.size() == 3);
  CHECK(view.scope(whole_fleet).tiers.at(0).size() == 3);
}

TEST_CASE("disabled config entries start disabled", "[unit][selector]") {
  fleet_view view;
  auto s = server("x");
  s.enabled = false;
  auto i = view.add(s);
  CHECK(view.slot(i).state == server_state::disabled);
  CHECK_FALSE(view.slot(i).available());
  CHECK(view.scope(whole_fleet).members.empty());
}

TEST_CASE("placements raise believed load until the next sample", "[unit][selector]") {
  fleet_view view;
  auto i = view.add(server("a", "", 0, 10));
  view.set_state(i, server_state::healthy);
  view.set_load_sample(i, 4);
  CHECK(view.slot(i).load() == Approx(0.4));
  view.record_placement(i);
  view.record_placement(i);
  CHECK(view.slot(i).load() == Approx(0.6));
  CHECK(view.scope(whole_fleet).by_load.begin()->load == Approx(0.6));
  view.set_load_sample(i, 5);
  CHECK(view.slot(i).placed_since_sample == 0);
  CHECK(view.slot(i).load() == Approx(0.5));
  CHECK(view.scope(whole_fleet).by_load.size() == 1);
}

TEST_CASE("a withdrawn placement lowers believed load, never below the sample",
          "[unit][selector]") {
  fleet_view view;
  auto a = view.add(server("a", "", 0, 10));
  auto b = view.add(server("b", "", 0, 10));
  view.set_state(a, server_state::healthy);
  view.set_state(b, server_state::healthy);
  view.set_load_sample(a, 2);
  view.set_load_sample(b, 3);
  view.record_placement(a);
  view.record_placement(a);
  CHECK(view.scope(whole_fleet).by_load.begin()->slot == b);
  view.withdraw_placement(a);
  CHECK(view.slot(a).load() == Approx(0.3));
  view.withdraw_placement(a);
  view.withdraw_placement(a);
  CHECK(view.slot(a).placed_since_sample == 0);
  CHECK(view.slot(a).load() == Approx(0.2));
  CHECK(view.scope(whole_fleet).by_load.begin()->slot == a);
}

TEST_CASE("unlimited servers have zero load and order by client count", "[unit][selector]") {
  fleet_view view;
  auto a = view.add(server("a", "", 0, 0));
  auto b = view.add(server("b", "", 0, 0));
  view.set_state(a, server_state::healthy);
  view.set_state(b, server_state::healthy);
  view.set_load_sample(a, 10);
  view.set_load_sample(b, 3);
  CHECK(view.slot(a).load() == 0.0);
  CHECK(view.scope(whole_fleet).by_load.begin()->slot == b);
}
