// The traffic ledger as the coordinator actor runs it, on the deterministic scheduler
// (tests/coordinator/coordinator_fixture.hpp): counters of passed checks charged, the quota
// and the expiry enforced on the panel, renewals and usage resets, and the ledger after a
// restart.

#include "tests/coordinator/coordinator_fixture.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;
using namespace std::chrono_literals;

namespace {

/// 1 KiB, as gigabytes.
constexpr double kib = 1.0 / 1'048'576;

struct ledger_fixture : coordinator_fixture {
  caf::actor agent;

  /// p1 healthy behind agent a1, over a store.
  void healthy() {
    start(true);
    agent = connect_all();
    report(agent, passed("p1", 0));
  }

  /// Creates `email` on p1 with `gb` of quota and `expiry`; returns the order the panel got.
  client_order create_on_p1(const std::string& email, double gb, int64_t expiry = 0) {
    create_request req;
    req.user_id = "7";
    req.email = email;
    req.server_id = "p1";
    req.total_gb = gb;
    req.expiry_time_ms = expiry;
    auto created = ask<client_record>(ds, coordinator, create_atom_v, req);
    ds.consume();
    auto& script = *scripts.at("p1");
    REQUIRE(script.pending.size() == 1);
    auto call = script.next();
    REQUIRE(call.what == "place");
    script.reply(call, int64_t{1});
    ds.consume();
    value(created);
    return call.order;
  }

  /// A passed check of p1 whose panel shows `counters`.
  void check_p1(std::vector<client_counters> counters) {
    ds.advance(1s);
    auto r = passed("p1", static_cast<int64_t>(counters.size()));
    r.counters = std::move(counters);
    report(agent, r);
  }

  /// The pending amends of p1, answered.
  std::vector<client_order> amends() {
    std::vector<client_order> out;
    auto& script = *scripts.at("p1");
    while (!script.pending.empty()) {
      auto call = script.next();
      REQUIRE(call.what == "amend");
      out.push_back(call.order);
      script.reply(call, int64_t{1});
    }
    ds.consume();
    return out;
  }

  client_view view(const std::string& email) {
    auto a = ask<client_view>(ds, coordinator, get_atom_v, email);
    ds.consume();
    auto& script = *scripts.at("p1");
    if (!script.pending.empty()) {
      auto call = script.next();
      script.reply(call, client_usage{});
      ds.consume();
    }
    return value(a);
  }

  answer<client_view> renew(renewal plan) {
    auto a = ask<client_view>(ds, coordinator, renew_atom_v, plan);
    ds.consume();
    return a;
  }

  int64_t events_of(const std::string& type) {
    auto all = db->events_after(0, 100'000);
    REQUIRE(all);
    int64_t n = 0;
    for (const auto& e : *all)
      n += e.type == type ? 1 : 0;
    return n;
  }
};

} // namespace

TEST_CASE_METHOD(ledger_fixture,
                 "accounting: the quota reached stops the client on its panel, a renewal "
                 "enables it again",
                 "[ledger][coordinator]") {
  healthy();
  auto placed = create_on_p1("u1", kib);
  CHECK(placed.total_bytes == 1'024);
  CHECK(placed.enable);
  check_p1({{"u1", 300, 300, true, 1'024, 0}, {"seed", 9'000, 9'000, true, 0, 0}});
  CHECK(amends().empty());
  check_p1({{"u1", 500, 600, true, 1'024, 0}});
  auto stop = amends();
  REQUIRE(stop.size() == 1);
  CHECK_FALSE(stop[0].enable);
  // The panel's own limit: what it counted, nothing more.
  CHECK(stop[0].total_bytes == 1'100);
  CHECK(events_of("client.limited") == 1);
  auto limited = view("u1");
  CHECK(limited.record.limited == "quota");
  CHECK(limited.account.usage.total.total() == 1'100);
  CHECK(limited.account.remaining_bytes == 0);
  // The panel holds it stopped now: nothing more to do, no second event.
  check_p1({{"u1", 500, 600, false, 1'100, 0}});
  CHECK(amends().empty());
  CHECK(events_of("client.limited") == 1);

  renewal plan;
  plan.email = "u1";
  plan.add_gb = kib;
  auto renewed = renew(plan);
  auto again = amends();
  REQUIRE(again.size() == 1);
  CHECK(again[0].enable);
  CHECK(again[0].total_bytes == 1'100 + (2'048 - 1'100));
  CHECK(value(renewed).record.limited.empty());
  CHECK(value(renewed).account.remaining_bytes == 948);
  CHECK(events_of("client.renewed") == 1);
}

TEST_CASE_METHOD(ledger_fixture,
                 "accounting: a usage reset gives the whole quota again without charging what "
                 "the panel counted",
                 "[ledger][coordinator]") {
  healthy();
  create_on_p1("u1", kib);
  check_p1({{"u1", 600, 600, true, 1'024, 0}});
  REQUIRE(amends().size() == 1);
  renewal plan;
  plan.email = "u1";
  plan.reset_usage = true;
  auto reset = renew(plan);
  auto orders = amends();
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].enable);
  CHECK(orders[0].total_bytes == 1'200 + 1'024);
  CHECK(value(reset).account.usage.total.total() == 0);
  check_p1({{"u1", 700, 600, true, 2'224, 0}});
  CHECK(amends().empty());
  CHECK(view("u1").account.usage.total.total() == 100);
}

TEST_CASE_METHOD(ledger_fixture, "accounting: the expiry stops the client when it passes",
                 "[ledger][coordinator]") {
  healthy();
  auto expiry = ds.time().wall_ms() + 5'000;
  auto placed = create_on_p1("u1", 0, expiry);
  CHECK(placed.expiry_time_ms == expiry);
  CHECK(placed.total_bytes == 0);
  check_p1({{"u1", 1, 1, true, 0, expiry}});
  CHECK(amends().empty());
  ds.advance(5s);
  check_p1({{"u1", 1, 1, true, 0, expiry}});
  auto stop = amends();
  REQUIRE(stop.size() == 1);
  CHECK_FALSE(stop[0].enable);
  CHECK(view("u1").record.limited == "expired");
  renewal plan;
  plan.email = "u1";
  plan.extend_days = 30;
  auto renewed = renew(plan);
  auto again = amends();
  REQUIRE(again.size() == 1);
  CHECK(again[0].enable);
  CHECK(again[0].expiry_time_ms > ds.time().wall_ms() + 29LL * 86'400'000);
  CHECK(value(renewed).record.limited.empty());
}

TEST_CASE_METHOD(ledger_fixture, "accounting: usage and limits survive a restart",
                 "[ledger][coordinator]") {
  healthy();
  create_on_p1("u1", kib);
  check_p1({{"u1", 100, 200, true, 1'024, 0}});
  stop();
  start(true);
  agent = connect_all();
  CHECK(view("u1").account.usage.total.total() == 300);
  // The same counters again charge nothing; the growth since does.
  check_p1({{"u1", 100, 200, true, 1'024, 0}});
  CHECK(view("u1").account.usage.total.total() == 300);
  check_p1({{"u1", 150, 250, true, 1'024, 0}});
  CHECK(view("u1").account.usage.total.total() == 400);
  auto stats = ask<std::vector<server_view>>(ds, coordinator, servers_atom_v);
  ds.consume();
  CHECK(value(stats).front().stats.bytes_transferred == 400);
}

TEST_CASE_METHOD(ledger_fixture, "accounting: renewals refuse what cannot be added",
                 "[ledger][coordinator]") {
  healthy();
  create_on_p1("u1", 0);
  renewal plan;
  plan.email = "u1";
  plan.add_gb = 5;
  CHECK(code_of(failure(renew(plan))) == ec::invalid_argument);
  CHECK(scripts.at("p1")->pending.empty());
  plan.email = "nobody";
  CHECK(code_of(failure(renew(plan))) == ec::not_found);
}

TEST_CASE_METHOD(ledger_fixture,
                 "accounting: a deleted client's usage is forgotten, what its panel carried is not",
                 "[ledger][coordinator]") {
  healthy();
  create_on_p1("u1", 0);
  check_p1({{"u1", 100, 200, true, 0, 0}});
  auto deleted = ask<bool>(ds, coordinator, delete_atom_v, std::string{"u1"});
  ds.consume();
  auto& script = *scripts.at("p1");
  REQUIRE(script.pending.size() == 1);
  script.reply(script.next(), true);
  ds.consume();
  CHECK(value(deleted));
  auto carried = [&] {
    auto servers = ask<std::vector<server_view>>(ds, coordinator, servers_atom_v);
    ds.consume();
    return value(servers).front().stats.bytes_transferred;
  };
  CHECK(carried() == 300);
  stop();
  start(true);
  agent = connect_all();
  CHECK(carried() == 300);
  report(agent, passed("p1", 0));
  create_on_p1("u1", 0);
  CHECK(view("u1").account.usage.total.total() == 0);
}
