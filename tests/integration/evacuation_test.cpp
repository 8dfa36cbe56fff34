// Evacuation over real loopback HTTP: a panel that stays dead has its clients moved to the
// others with the same uuid and sub_id, the copies left on it are deleted when it returns,
// and nothing moves when every panel fails at once.

#include "tests/integration/running_fleet.hpp"

#include <limits>

using namespace fleet;
using namespace fleet::test;

namespace {

std::vector<client_record> clients_of(running_fleet& fleet) {
  auto all = fleet.db->clients();
  REQUIRE(all);
  return *all;
}

bool none_on(running_fleet& fleet, const std::string& server_id) {
  auto all = clients_of(fleet);
  return std::none_of(all.begin(), all.end(),
                      [&](const client_record& c) { return c.server_id == server_id; });
}

evacuation_status evacuation_of(running_fleet& fleet, const std::string& id) {
  auto status = ask<evacuation_status>(fleet, evacuate_atom_v, id, get_atom_v);
  REQUIRE(status);
  return *status;
}

/// Creates `n` clients pinned on `server_id`; returns their records.
std::map<std::string, client_record> place_on(running_fleet& fleet, const std::string& server_id,
                                              int n) {
  std::map<std::string, client_record> out;
  for (int i = 0; i < n; ++i) {
    client_record r;
    REQUIRE(create(fleet, user(100 + i, server_id), &r) == server_id);
    out[r.email] = r;
  }
  return out;
}

} // namespace

TEST_CASE("a dead panel's clients move with their uuid and sub_id, and its copies go when it "
          "returns",
          "[integration][evacuation]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str(), [](fleet_config& c) {
                        c.management.evacuate_after = 1'000ms;
                        c.management.evacuation_batch = 2; // several waves
                        c.management.evacuation_parallel_panels = 1;
                      }};
  for (const auto* id : {"a", "b", "c"})
    REQUIRE(fleet.wait_for_state(id, server_state::healthy, 3s) >= 0ms);
  auto before = place_on(fleet, "a", 6);

  REQUIRE(fleet.panels.set_down("a", true));
  REQUIRE(fleet.wait_for_state("a", server_state::unhealthy, 3s) >= 0ms);
  CHECK(eventually([&] { return evacuation_of(fleet, "a").state == evacuation_state::waiting; },
                   500ms));
  REQUIRE(eventually([&] { return none_on(fleet, "a"); }, 8s));
  for (const auto& c : clients_of(fleet)) {
    const auto& old = before.at(c.email);
    CHECK(c.uuid == old.uuid);
    CHECK(c.sub_id == old.sub_id);
    CHECK(c.moved_at_ms > 0);
    CHECK((c.server_id == "b" || c.server_id == "c"));
    CHECK(on_panel(fleet, c.server_id, c.email));
  }
  REQUIRE(
      eventually([&] { return evacuation_of(fleet, "a").state == evacuation_state::finished; }));
  auto done = evacuation_of(fleet, "a");
  CHECK(done.moved == 6);
  CHECK(done.pending == 0);
  CHECK(done.stale_copies == 6);
  auto events = fleet.db->events_after(0, 1000);
  REQUIRE(events);
  auto count = [&](const std::string& type) {
    return std::count_if(events->begin(), events->end(),
                         [&](const event_record& e) { return e.type == type; });
  };
  CHECK(count("client.moved") == 6);
  CHECK(count("server.evacuated") == 1);

  // The old panel comes back with its copies: they are deleted, never counted as foreign.
  for (const auto& [email, r] : before)
    CHECK(on_panel(fleet, "a", email));
  REQUIRE(fleet.panels.set_down("a", false));
  REQUIRE(eventually(
      [&] {
        return std::none_of(before.begin(), before.end(),
                            [&](const auto& kv) { return on_panel(fleet, "a", kv.first); });
      },
      8s));
  REQUIRE(eventually([&] { return evacuation_of(fleet, "a").stale_copies == 0; }));
  auto left = fleet.db->stale_copies();
  REQUIRE(left);
  CHECK(left->empty());
  // Every client is on exactly one panel.
  for (const auto& c : clients_of(fleet)) {
    int copies = 0;
    for (const auto* id : {"a", "b", "c"})
      copies += on_panel(fleet, id, c.email) ? 1 : 0;
    CHECK(copies == 1);
  }
}

TEST_CASE("nothing moves when every panel fails at once", "[integration][evacuation]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str(), [](fleet_config& c) {
                        c.management.evacuate_after = 500ms;
                        c.management.max_evacuation_percent = 100;
                      }};
  for (const auto* id : {"a", "b", "c"})
    REQUIRE(fleet.wait_for_state(id, server_state::healthy, 3s) >= 0ms);
  place_on(fleet, "a", 3);
  for (const auto* id : {"a", "b", "c"})
    REQUIRE(fleet.panels.set_down(id, true));
  for (const auto* id : {"a", "b", "c"})
    REQUIRE(fleet.wait_for_state(id, server_state::unhealthy, 3s) >= 0ms);
  REQUIRE(eventually([&] { return evacuation_of(fleet, "a").state == evacuation_state::held_back; },
                     3s));
  CHECK_THAT(evacuation_of(fleet, "a").held_back_because, Catch::StartsWith("panic mode"));
  std::this_thread::sleep_for(1s);
  auto all = clients_of(fleet);
  CHECK(all.size() == 3);
  for (const auto& c : all)
    CHECK(c.server_id == "a");
  CHECK(evacuation_of(fleet, "a").moved == 0);
}

TEST_CASE("an operator evacuates a live panel: each client is added elsewhere, then deleted "
          "there",
          "[integration][evacuation]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str()};
  for (const auto* id : {"a", "b", "c"})
    REQUIRE(fleet.wait_for_state(id, server_state::healthy, 3s) >= 0ms);
  auto before = place_on(fleet, "b", 4);
  auto started = ask<evacuation_status>(fleet, evacuate_atom_v, std::string{"b"});
  REQUIRE(started);
  CHECK(started->by_operator);
  // No new client may land on it meanwhile.
  CHECK(fleet.health()["b"].state == server_state::draining);
  REQUIRE(eventually([&] { return none_on(fleet, "b"); }));
  REQUIRE(eventually([&] {
    return std::none_of(before.begin(), before.end(),
                        [&](const auto& kv) { return on_panel(fleet, "b", kv.first); });
  }));
  for (const auto& c : clients_of(fleet)) {
    CHECK(c.uuid == before.at(c.email).uuid);
    CHECK(on_panel(fleet, c.server_id, c.email));
  }
  auto unknown = ask<evacuation_status>(fleet, evacuate_atom_v, std::string{"nope"});
  REQUIRE_FALSE(unknown);
  CHECK(code_of(unknown.error()) == ec::not_found);
}
