// Client operations, drift detection and repair, passive ejection and operator states,
// through the coordinator actor and its probes over real loopback HTTP.

#include "tests/integration/running_fleet.hpp"

using namespace fleet;
using namespace fleet::test;

namespace {

void wait_all_healthy(running_fleet& fleet) {
  for (const auto* id : {"a", "b", "c"})
    REQUIRE(fleet.wait_for_state(id, server_state::healthy, 5s) >= 0ms);
}

size_t clients_on(running_fleet& fleet, const std::string& panel) {
  size_t n = 0;
  auto per_inbound = fleet.panels.find(panel)->clients();
  for (const auto& item : per_inbound.items())
    n += item.value().size();
  return n;
}

std::optional<drift_report> drift_of(running_fleet& fleet, const std::string& id) {
  auto all = ask<std::vector<drift_report>>(fleet, drift_atom_v);
  REQUIRE(all);
  for (const auto& r : *all)
    if (r.server_id == id)
      return r;
  return std::nullopt;
}

constexpr int64_t gib = 1024LL * 1024 * 1024;

} // namespace

TEST_CASE("a client is updated, disabled, read with its traffic and deleted on every API",
          "[integration][clients]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str()};
  wait_all_healthy(fleet);
  int n = 100;
  for (const auto* id : {"a", "b", "c"}) {
    INFO("server " << id);
    auto email = "u" + std::to_string(++n);
    REQUIRE(create(fleet, user(n, id)) == id);

    client_patch patch;
    patch.email = email;
    patch.total_gb = 10;
    patch.expiry_time_ms = 1'900'000'000'000;
    auto updated = ask<client_record>(fleet, update_atom_v, patch);
    REQUIRE(updated);
    CHECK(updated->total_gb == 10);
    CHECK(updated->expiry_time_ms == 1'900'000'000'000);
    auto stored = fleet.db->client(email);
    REQUIRE(stored);
    REQUIRE(stored->has_value());
    CHECK((*stored)->total_gb == 10);

    REQUIRE(fleet.panels.find(id)->add_traffic(email, 1000, 2000));
    auto view = ask<client_view>(fleet, get_atom_v, email);
    REQUIRE(view);
    REQUIRE(view->usage.has_value());
    CHECK(view->usage->up == 1000);
    CHECK(view->usage->down == 2000);
    CHECK(view->usage->total_bytes == 10 * gib);
    CHECK(view->usage->expiry_time_ms == 1'900'000'000'000);
    CHECK(view->usage->enable);
    CHECK(view->server == server_state::healthy);

    client_patch off;
    off.email = email;
    off.enable = false;
    REQUIRE(ask<client_record>(fleet, update_atom_v, off));
    view = ask<client_view>(fleet, get_atom_v, email);
    REQUIRE(view);
    REQUIRE(view->usage.has_value());
    CHECK_FALSE(view->usage->enable);
    CHECK(view->record.total_gb == 10); // untouched fields keep their values

    REQUIRE(on_panel(fleet, id, email));
    auto deleted = ask<bool>(fleet, delete_atom_v, email);
    REQUIRE(deleted);
    CHECK_FALSE(on_panel(fleet, id, email));
    auto gone = fleet.db->client(email);
    REQUIRE(gone);
    CHECK_FALSE(gone->has_value());
    CHECK(code_of(ask<bool>(fleet, delete_atom_v, email).error()) == ec::not_found);
  }
}

TEST_CASE("operations on unknown clients are not_found and nothing changes",
          "[integration][clients]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str()};
  wait_all_healthy(fleet);
  client_patch patch;
  patch.email = "nobody";
  patch.enable = false;
  auto updated = ask<client_record>(fleet, update_atom_v, patch);
  REQUIRE_FALSE(updated);
  CHECK(code_of(updated.error()) == ec::not_found);
  CHECK_THAT(message_of(updated.error()), Catch::Contains("nobody"));
  CHECK(code_of(ask<client_view>(fleet, get_atom_v, std::string{"nobody"}).error())
        == ec::not_found);
  auto open = fleet.db->open_intents();
  REQUIRE(open);
  CHECK(open->empty());
}

TEST_CASE("clients are listed by user and server, in pages", "[integration][clients]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str()};
  wait_all_healthy(fleet);
  for (int i = 1; i <= 5; ++i)
    REQUIRE(create(fleet, user(i, i <= 3 ? "a" : "b")) != "none");
  client_filter on_a;
  on_a.server_id = "a";
  auto a = ask<std::vector<client_record>>(fleet, get_atom_v, on_a);
  REQUIRE(a);
  CHECK(a->size() == 3);
  client_filter page;
  page.limit = 2;
  auto first = ask<std::vector<client_record>>(fleet, get_atom_v, page);
  REQUIRE(first);
  REQUIRE(first->size() == 2);
  page.after = first->back().email;
  auto second = ask<std::vector<client_record>>(fleet, get_atom_v, page);
  REQUIRE(second);
  REQUIRE(second->size() == 2);
  CHECK(second->front().email > first->back().email);
  client_filter by_user;
  by_user.user_id = "4";
  auto mine = ask<std::vector<client_record>>(fleet, get_atom_v, by_user);
  REQUIRE(mine);
  REQUIRE(mine->size() == 1);
  CHECK(mine->front().email == "u4");
}

TEST_CASE("a wiped panel is detected and its clients are put back", "[integration][drift]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str(), [](fleet_config& c) {
                        c.management.reconcile_interval = 60s; // only the early trigger counts
                      }};
  wait_all_healthy(fleet);
  auto seeded = clients_on(fleet, "a"); // the panel's own clients, foreign to the fleet
  for (int i = 1; i <= 6; ++i)
    REQUIRE(create(fleet, user(i, "a")) == "a");
  REQUIRE(clients_on(fleet, "a") == seeded + 6);

  fleet.panels.find("a")->wipe();
  REQUIRE(clients_on(fleet, "a") == 0);
  // The next check sees fewer clients than recorded, reconciles and repairs.
  REQUIRE(eventually([&] {
    auto r = drift_of(fleet, "a");
    return r && r->missing.size() == 6 && r->repaired == 6;
  }));
  auto report = *drift_of(fleet, "a");
  CHECK(report.foreign.empty());
  CHECK(report.error.empty());
  CHECK(clients_on(fleet, "a") == 6);
  // Same uuid as recorded: the users' links keep working.
  auto record = fleet.db->client("u3");
  REQUIRE(record);
  auto view = ask<client_view>(fleet, get_atom_v, std::string{"u3"});
  REQUIRE(view);
  CHECK(view->usage.has_value());
  // A second reconciliation finds nothing to do.
  caf::anon_send(fleet.coord, reconcile_atom_v, std::string{"a"});
  REQUIRE(eventually([&] {
    auto r = drift_of(fleet, "a");
    return r && r->checked_at_ms > report.checked_at_ms;
  }));
  CHECK(drift_of(fleet, "a")->clean());
}

TEST_CASE("a client being repaired is busy: a delete meanwhile waits its turn, nothing is left "
          "behind",
          "[integration][drift]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str(),
                      [](fleet_config& c) {
                        c.management.reconcile_interval = 60s;
                        c.management.health_check_timeout = 3s;
                      },
                      [](fake::panel_options& p) { p.latency = 300ms; }};
  wait_all_healthy(fleet);
  for (int i = 1; i <= 3; ++i)
    REQUIRE(create(fleet, user(i, "a")) == "a");
  fleet.panels.find("a")->wipe();
  caf::anon_send(fleet.coord, reconcile_atom_v, std::string{"a"});
  // The report is kept as the repairs go out; each takes at least two 300 ms calls.
  REQUIRE(eventually([&] {
    auto r = drift_of(fleet, "a");
    return r && r->missing.size() == 3;
  }));
  REQUIRE(drift_of(fleet, "a")->repaired == 0);
  auto early = ask<bool>(fleet, delete_atom_v, std::string{"u1"});
  REQUIRE_FALSE(early);
  CHECK(code_of(early.error()) == ec::conflict);
  REQUIRE(eventually([&] { return drift_of(fleet, "a")->repaired == 3; }));
  REQUIRE(ask<bool>(fleet, delete_atom_v, std::string{"u1"}));
  CHECK_FALSE(on_panel(fleet, "a", "u1"));
  CHECK(on_panel(fleet, "a", "u2"));
  auto gone = fleet.db->client("u1");
  REQUIRE(gone);
  CHECK_FALSE(gone->has_value());
}

TEST_CASE("with drift_repair off a wiped panel is reported and left alone",
          "[integration][drift]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str(), [](fleet_config& c) { c.management.drift_repair = false; }};
  wait_all_healthy(fleet);
  for (int i = 1; i <= 3; ++i)
    REQUIRE(create(fleet, user(i, "c")) == "c");
  fleet.panels.find("c")->wipe();
  REQUIRE(eventually([&] {
    auto r = drift_of(fleet, "c");
    return r && r->missing.size() == 3;
  }));
  std::this_thread::sleep_for(500ms);
  CHECK(drift_of(fleet, "c")->repaired == 0);
  CHECK(clients_on(fleet, "c") == 0);
}

namespace {

/// Two creates failing with 3 attempts each take a panel out passively; active checks every
/// `interval`.
void eject_quickly(fleet_config& c, millis interval) {
  c.management.health_check_interval = interval;
  c.management.health_check_timeout = 500ms;
  c.management.max_retries = 2;
  c.management.retry_delay = 20ms;
  c.management.passive_failure_threshold = 5;
}

} // namespace

TEST_CASE("failing client operations take a panel out before the next check",
          "[integration][failover]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str(), [](fleet_config& c) { eject_quickly(c, 2s); }};
  wait_all_healthy(fleet);
  fleet.panels.find("a")->set_fault({"http500", 0});
  auto started = std::chrono::steady_clock::now();
  CHECK_THAT(create(fleet, user(1, "a")), Catch::StartsWith("error"));
  CHECK_THAT(create(fleet, user(2, "a")), Catch::StartsWith("error"));
  auto took = fleet.wait_for_state("a", server_state::unhealthy, 3s);
  REQUIRE(took >= 0ms);
  INFO("unhealthy after " << (std::chrono::steady_clock::now() - started).count() / 1'000'000
                          << " ms");
  CHECK_THAT(fleet.health()["a"].last_error, Catch::Contains("client operations failed in a row"));
  fleet.panels.find("a")->set_fault({});
  CHECK(fleet.wait_for_state("a", server_state::healthy, 10s) >= 0ms);
}

TEST_CASE("a panel whose checks pass but which refuses every change is taken out of selection",
          "[integration][failover]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str(), [](fleet_config& c) {
                        eject_quickly(c, 1s);
                        c.management.passive_failure_threshold = 3;
                        // The first ejection lasts three passed checks: long enough for the
                        // creates below to run while it holds (the second one lasts six).
                        c.management.healthy_threshold = 3;
                      }};
  wait_all_healthy(fleet);
  auto& a = *fleet.panels.find("a");
  a.set_fault({"fail_mutations", 0});
  auto refused = [&] { return a.counters().value("fault fail_mutations", 0); };
  auto create_preferring_a = [&](int n) {
    auto req = user(n);
    req.criteria.preferred_id = "a";
    return create(fleet, req);
  };
  // Each create goes to a first, is refused there and fails over.
  for (int i = 0; i < 3; ++i) {
    auto server = create_preferring_a(100 + i);
    CHECK((server == "b" || server == "c"));
  }
  CHECK(refused() == 3);
  auto h = fleet.health()["a"];
  CHECK(h.state == server_state::unhealthy);
  CHECK(h.flags == std::vector<std::string>{"passive_failure"});
  CHECK_THAT(h.last_error, Catch::Contains("3 client operations failed in a row"));
  CHECK_THAT(h.last_error, Catch::Contains("database is locked"));
  // Out of selection: the creates that follow never reach it.
  for (int i = 0; i < 5; ++i) {
    auto server = create_preferring_a(200 + i);
    CHECK((server == "b" || server == "c"));
  }
  CHECK(refused() == 3);
  REQUIRE(fleet.health()["a"].state == server_state::unhealthy); // all of them while it held
  // Its checks pass, so it returns; while it still refuses, the first create that reaches it
  // takes it out again at once.
  REQUIRE(fleet.wait_for_state("a", server_state::healthy, 15s) >= 0ms);
  auto server = create_preferring_a(300);
  CHECK((server == "b" || server == "c"));
  CHECK(refused() == 4);
  CHECK(fleet.health()["a"].state == server_state::unhealthy);
  // Repaired, it comes back and takes clients again.
  a.set_fault({});
  REQUIRE(fleet.wait_for_state("a", server_state::healthy, 15s) >= 0ms);
  CHECK(create_preferring_a(400) == "a");
}

TEST_CASE("passive ejection never takes out more than its share of the fleet",
          "[integration][failover]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str(), [](fleet_config& c) {
                        eject_quickly(c, 1s);
                        c.management.auto_failover = false;
                        c.management.max_ejection_percent = 30; // of 3 servers: 1
                      }};
  wait_all_healthy(fleet);
  fleet.panels.find("a")->set_fault({"http500", 0});
  fleet.panels.find("b")->set_fault({"http500", 0});
  for (int i = 0; i < 2; ++i) {
    CHECK_THAT(create(fleet, user(10 + i, "a")), Catch::StartsWith("error"));
    CHECK_THAT(create(fleet, user(20 + i, "b")), Catch::StartsWith("error"));
  }
  auto h = fleet.health();
  CHECK(h["a"].state == server_state::unhealthy);
  // b failed the same way, but a already holds the one place: b stays in selection...
  CHECK(h["b"].state == server_state::healthy);
  CHECK_THAT(h["b"].last_error, Catch::Contains("client operations failed in a row"));
  // ...until its active checks fail as well.
  CHECK(fleet.wait_for_state("b", server_state::unhealthy, 6s) >= 0ms);
  fleet.panels.find("a")->set_fault({});
  fleet.panels.find("b")->set_fault({});
  CHECK(fleet.wait_for_state("a", server_state::healthy, 10s) >= 0ms);
  CHECK(fleet.wait_for_state("b", server_state::healthy, 10s) >= 0ms);
}

TEST_CASE("servers are drained, disabled and enabled at runtime, and it is remembered",
          "[integration][servers]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str()};
  wait_all_healthy(fleet);
  auto drained = ask<server_health>(fleet, admin_atom_v, std::string{"a"}, admin_state::draining);
  REQUIRE(drained);
  CHECK(drained->state == server_state::draining);
  CHECK(fleet.select(preferring("a")) != "a");
  CHECK_THAT(create(fleet, user(1, "a")), Catch::Contains("draining"));
  REQUIRE(ask<server_health>(fleet, admin_atom_v, std::string{"b"}, admin_state::disabled));
  CHECK(fleet.select(preferring("b")) == "c");
  auto unknown = ask<server_health>(fleet, admin_atom_v, std::string{"zz"}, admin_state::active);
  REQUIRE_FALSE(unknown);
  CHECK(code_of(unknown.error()) == ec::not_found);

  fleet.stop();
  fleet.start(dir.str());
  auto h = fleet.health();
  CHECK(h["a"].state == server_state::draining);
  CHECK(h["b"].state == server_state::disabled);
  REQUIRE(ask<server_health>(fleet, admin_atom_v, std::string{"a"}, admin_state::active));
  CHECK(fleet.wait_for_state("a", server_state::healthy, 5s) >= 0ms);
  CHECK(fleet.select(preferring("a")) == "a");
}

TEST_CASE("a probe that fails is started again and the coordinator carries on",
          "[integration][servers]") {
  test::temp_dir dir;
  running_fleet fleet{dir.str()};
  wait_all_healthy(fleet);
  auto old = ask<probe_actor>(fleet, probe_atom_v, std::string{"a"}, get_atom_v);
  REQUIRE(old);
  {
    caf::scoped_actor watcher{*fleet.sys};
    watcher->monitor(*old);
    // As after an exception escaped one of its handlers.
    watcher->send_exit(*old, caf::make_error(caf::sec::runtime_error, "injected failure"));
    bool down = false;
    watcher->receive([&](caf::down_msg&) { down = true; }, caf::after(5s) >> [] {});
    REQUIRE(down);
  }
  // The coordinator still answers, and a new probe checks the panel again.
  CHECK(fleet.select(preferring("b")) == "b");
  REQUIRE(eventually([&] {
    auto now = ask<probe_actor>(fleet, probe_atom_v, std::string{"a"}, get_atom_v);
    return now && *now != *old;
  }));
  auto checked = fleet.health()["a"].last_check;
  REQUIRE(eventually([&] { return fleet.health()["a"].last_check != checked; }));
  CHECK(fleet.health()["a"].state == server_state::healthy);
  REQUIRE(create(fleet, user(1, "a")) == "a");
}
