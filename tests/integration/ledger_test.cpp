// The traffic ledger over real loopback HTTP: traffic the fake panels count (injected through
// their control surface) is charged fleet-wide; the quota and the expiry stop the client on
// its panel, a renewal brings it back, and a moved client keeps its usage.

#include "tests/integration/running_fleet.hpp"

using namespace fleet;
using namespace fleet::test;

namespace {

constexpr double kib = 1.0 / 1'048'576;

client_view view_of(running_fleet& fleet, const std::string& email) {
  auto v = ask<client_view>(fleet, get_atom_v, email);
  REQUIRE(v);
  return *v;
}

/// The client as its panel holds it now.
client_usage on_its_panel(running_fleet& fleet, const std::string& email) {
  auto v = view_of(fleet, email);
  REQUIRE(v.usage);
  return *v.usage;
}

int64_t events_of(running_fleet& fleet, const std::string& type, const std::string& email) {
  auto all = fleet.db->events_after(0, 100'000);
  REQUIRE(all);
  return std::count_if(all->begin(), all->end(),
                       [&](const event_record& e) { return e.type == type && e.email == email; });
}

client_record placed(running_fleet& fleet, int user_id, const std::string& server, double gb,
                     int64_t expiry_ms = 0) {
  auto req = user(user_id, server);
  req.total_gb = gb;
  req.expiry_time_ms = expiry_ms;
  client_record r;
  REQUIRE(create(fleet, req, &r) == server);
  return r;
}

} // namespace

TEST_CASE("the quota stops a client on its panel within a check, a renewal enables it again",
          "[integration][ledger]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str()};
  for (const auto* id : {"a", "b", "c"})
    REQUIRE(fleet.wait_for_state(id, server_state::healthy, 3s) >= 0ms);
  for (const auto* id : {"a", "c"}) { // a classic and a gen2 panel
    auto r = placed(fleet, id[0] == 'a' ? 1 : 3, id, 4 * kib);
    CHECK(on_its_panel(fleet, r.email).total_bytes == 4'096);
    REQUIRE(fleet.panels.find(id)->add_traffic(r.email, 1'000, 1'000));
    REQUIRE(
        eventually([&] { return view_of(fleet, r.email).account.usage.total.total() == 2'000; }));
    CHECK(view_of(fleet, r.email).account.remaining_bytes == 2'096);
    CHECK(on_its_panel(fleet, r.email).enable);

    REQUIRE(fleet.panels.find(id)->add_traffic(r.email, 1'500, 1'000));
    REQUIRE(eventually([&] { return !on_its_panel(fleet, r.email).enable; }, 3s));
    REQUIRE(eventually([&] { return view_of(fleet, r.email).record.limited == "quota"; }));
    CHECK(events_of(fleet, "client.limited", r.email) == 1);
    // What the panel counted, nothing more: it keeps the client stopped on its own.
    CHECK(on_its_panel(fleet, r.email).total_bytes == 4'500);

    renewal plan;
    plan.email = r.email;
    plan.add_gb = 4 * kib;
    auto renewed = ask<client_view>(fleet, renew_atom_v, plan);
    REQUIRE(renewed);
    CHECK(renewed->record.limited.empty());
    CHECK(renewed->account.remaining_bytes == 8'192 - 4'500);
    auto panel = on_its_panel(fleet, r.email);
    CHECK(panel.enable);
    CHECK(panel.total_bytes == 8'192);
    CHECK(events_of(fleet, "client.renewed", r.email) == 1);
  }
}

TEST_CASE("the expiry stops a client on its panel when it passes", "[integration][ledger]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str()};
  REQUIRE(fleet.wait_for_state("b", server_state::healthy, 3s) >= 0ms);
  auto expiry = real_clock().wall_ms() + 1'500;
  auto r = placed(fleet, 2, "b", 0, expiry);
  CHECK(on_its_panel(fleet, r.email).expiry_time_ms == expiry);
  REQUIRE(eventually([&] { return view_of(fleet, r.email).record.limited == "expired"; }, 4s));
  CHECK_FALSE(on_its_panel(fleet, r.email).enable);
  CHECK(events_of(fleet, "client.limited", r.email) == 1);
}

TEST_CASE("a moved client keeps its usage, and its new panel holds what is left",
          "[integration][ledger]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str(), [](fleet_config& c) { c.management.evacuate_after = 1'000ms; }};
  for (const auto* id : {"a", "b", "c"})
    REQUIRE(fleet.wait_for_state(id, server_state::healthy, 3s) >= 0ms);
  auto r = placed(fleet, 5, "a", 8 * kib);
  REQUIRE(fleet.panels.find("a")->add_traffic(r.email, 1'000, 2'000));
  REQUIRE(eventually([&] { return view_of(fleet, r.email).account.usage.total.total() == 3'000; }));

  REQUIRE(fleet.panels.set_down("a", true));
  REQUIRE(eventually([&] { return view_of(fleet, r.email).record.server_id != "a"; }, 8s));
  auto moved = view_of(fleet, r.email);
  auto now_on = moved.record.server_id;
  CHECK(moved.account.usage.total.total() == 3'000);
  CHECK(on_its_panel(fleet, r.email).total_bytes == 8'192 - 3'000);

  REQUIRE(fleet.panels.find(now_on)->add_traffic(r.email, 500, 500));
  REQUIRE(eventually([&] { return view_of(fleet, r.email).account.usage.total.total() == 4'000; }));
  auto usage = view_of(fleet, r.email).account.usage;
  CHECK(usage.by_server.at("a").total() == 3'000);
  // The subscription's Subscription-Userinfo says the same.
  auto sub = ask<subscription_answer>(fleet, subscription_atom_v, r.sub_id);
  REQUIRE(sub);
  CHECK(sub->upload == 1'500);
  CHECK(sub->download == 2'500);
  CHECK(sub->total_bytes == 8'192);
  CHECK(usage.by_server.at(now_on).total() == 1'000);
  // The panel's own quota did not change: its count plus what is left is still the same.
  CHECK(on_its_panel(fleet, r.email).total_bytes == 8'192 - 3'000);
  auto stats = ask<std::vector<server_view>>(fleet, servers_atom_v);
  REQUIRE(stats);
  for (const auto& s : *stats)
    if (s.health.server_id == now_on)
      CHECK(s.stats.bytes_transferred == 1'000);
}

TEST_CASE("usage survives a restart of the coordinator and a reset of the panel's counters",
          "[integration][ledger]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str()};
  REQUIRE(fleet.wait_for_state("b", server_state::healthy, 3s) >= 0ms);
  auto r = placed(fleet, 6, "b", 0);
  REQUIRE(fleet.panels.find("b")->add_traffic(r.email, 100, 200));
  REQUIRE(eventually([&] { return view_of(fleet, r.email).account.usage.total.total() == 300; }));
  fleet.stop();
  REQUIRE(fleet.panels.find("b")->add_traffic(r.email, 0, 100));
  fleet.start(dir.str());
  REQUIRE(eventually([&] { return view_of(fleet, r.email).account.usage.total.total() == 400; }));
  // The panel's counters start again from zero (a reset or a restored backup).
  REQUIRE(fleet.panels.find("b")->reset_traffic(r.email));
  REQUIRE(eventually([&] {
    auto entries = fleet.db->ledger();
    REQUIRE(entries);
    return std::any_of(entries->begin(), entries->end(), [&](const ledger_record& e) {
      return e.email == r.email && e.server_id == "b" && e.entry.last.total() == 0;
    });
  }));
  REQUIRE(fleet.panels.find("b")->add_traffic(r.email, 0, 50));
  REQUIRE(eventually([&] { return view_of(fleet, r.email).account.usage.total.total() == 450; }));
  auto hours = ask<std::vector<usage_bucket>>(
      fleet, hours_atom_v, usage_query{false, r.email, 0, real_clock().wall_ms() + 3'600'000});
  REQUIRE(hours);
  int64_t sum = 0;
  for (const auto& h : *hours)
    sum += h.bytes.total();
  CHECK(sum == 450);
}
