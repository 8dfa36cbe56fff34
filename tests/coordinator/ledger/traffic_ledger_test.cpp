#include "coordinator/ledger/traffic_ledger.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

namespace {

int64_t total_of(const traffic_ledger& l, const std::string& email) {
  auto total = l.usage(email).total.total();
  CHECK(l.used(email) == total);
  return total;
}

} // namespace

TEST_CASE("ledger: usage is the sum of counter deltas", "[ledger]") {
  traffic_ledger l;
  CHECK(l.apply("a", "u1", {0, 0}, 1'000).added.total() == 0);
  auto second = l.apply("a", "u1", {100, 400}, 2'000);
  CHECK(second.added.up == 100);
  CHECK(second.added.down == 400);
  l.apply("a", "u1", {150, 500}, 3'000);
  auto u = l.usage("u1");
  CHECK(u.total.up == 150);
  CHECK(u.total.down == 500);
  CHECK(l.find("a", "u1")->last.up == 150);
}

TEST_CASE("ledger: a repeated or late sample changes nothing", "[ledger]") {
  traffic_ledger l;
  l.apply("a", "u1", {0, 0}, 1'000);
  l.apply("a", "u1", {100, 100}, 3'000);
  CHECK(l.apply("a", "u1", {100, 100}, 3'000).ignored);
  // Read before the last one, delivered after it.
  CHECK(l.apply("a", "u1", {50, 50}, 2'000).ignored);
  CHECK(total_of(l, "u1") == 200);
  CHECK_FALSE(l.apply("a", "u1", {120, 100}, 4'000).ignored);
  CHECK(total_of(l, "u1") == 220);
}

TEST_CASE("ledger: a counter that went down is a new baseline, never negative or doubled",
          "[ledger]") {
  traffic_ledger l;
  l.apply("a", "u1", {0, 0}, 1'000);
  l.apply("a", "u1", {1'000, 1'000}, 2'000);
  // The panel reset its counters (or was restored from an old backup).
  auto reset = l.apply("a", "u1", {10, 0}, 3'000);
  CHECK(reset.new_baseline);
  CHECK(reset.added.total() == 0);
  CHECK(total_of(l, "u1") == 2'000);
  l.apply("a", "u1", {60, 20}, 4'000);
  CHECK(total_of(l, "u1") == 2'070);
  // A wipe: the counters are gone and start at zero.
  CHECK(l.apply("a", "u1", {0, 0}, 5'000).new_baseline);
  l.apply("a", "u1", {5, 5}, 6'000);
  CHECK(total_of(l, "u1") == 2'080);
}

TEST_CASE("ledger: a moved client's usage on both panels is summed", "[ledger]") {
  traffic_ledger l;
  l.apply("a", "u1", {0, 0}, 1'000);
  l.apply("a", "u1", {300, 700}, 2'000);
  // Panel b's clock is hours off: only its own samples are compared.
  l.apply("b", "u1", {0, 0}, 10);
  l.apply("b", "u1", {50, 50}, 20);
  auto u = l.usage("u1");
  CHECK(u.total.total() == 1'100);
  CHECK(u.by_server.at("a").total() == 1'000);
  CHECK(u.by_server.at("b").total() == 100);
  CHECK(l.usage("nobody").total.total() == 0);
}

TEST_CASE("ledger: a reset of usage keeps the baseline and the panels' totals", "[ledger]") {
  traffic_ledger l;
  l.apply("a", "u1", {0, 0}, 1'000);
  l.apply("a", "u1", {100, 100}, 2'000);
  l.apply("a", "u2", {0, 0}, 1'000);
  l.apply("a", "u2", {1, 1}, 2'000);
  l.reset_usage("u1");
  CHECK(total_of(l, "u1") == 0);
  l.apply("a", "u1", {110, 100}, 3'000);
  CHECK(total_of(l, "u1") == 10);
  CHECK(l.by_server().at("a").total() == 212);
  // A deleted client's bytes stay in its panel's total.
  l.forget("u2");
  CHECK(l.find("a", "u2") == nullptr);
  CHECK(l.by_server().at("a").total() == 212);
}

TEST_CASE("ledger: growth faster than a link carries is flagged and still charged", "[ledger]") {
  traffic_ledger l{1'000'000}; // 1 MB/s
  l.apply("a", "u1", {0, 0}, 0);
  auto fine = l.apply("a", "u1", {500'000, 0}, 1'000);
  CHECK_FALSE(fine.suspicious);
  auto jump = l.apply("a", "u1", {500'000, 5'000'000}, 2'000);
  CHECK(jump.suspicious);
  CHECK(jump.added.down == 5'000'000);
  CHECK(total_of(l, "u1") == 5'500'000);
}

TEST_CASE("ledger: restored entries carry on where they left off", "[ledger]") {
  traffic_ledger before;
  before.apply("a", "u1", {0, 0}, 1'000);
  before.apply("a", "u1", {40, 60}, 2'000);
  traffic_ledger after;
  for (const auto& r : before.records())
    after.restore(r.server_id, r.email, r.entry);
  CHECK(after.apply("a", "u1", {40, 60}, 2'000).ignored);
  after.apply("a", "u1", {50, 60}, 3'000);
  CHECK(total_of(after, "u1") == 110);
}

TEST_CASE("ledger: each entry holds the hour of its last bytes open until a later hour closes it",
          "[ledger]") {
  constexpr int64_t hour = 3'600'000;
  constexpr int64_t t0 = 1'800'000'000'000; // an hour boundary
  traffic_ledger l;
  l.apply("a", "u1", {0, 0}, t0);
  auto first = l.apply("a", "u1", {10, 20}, t0 + 1'000);
  CHECK(first.closed_bytes.total() == 0);
  CHECK(first.entry->hour_ms == t0);
  l.apply("b", "u1", {0, 5}, t0 + 2'000);
  // Hours held open add to the closed ones the store gives, one bucket per hour.
  std::vector<usage_bucket> hours{{"u1", t0 - hour, {1, 1}}};
  l.add_open_hours("u1", t0 - hour, t0 + hour, hours);
  REQUIRE(hours.size() == 2);
  CHECK(hours[1].owner == "u1");
  CHECK(hours[1].hour_ms == t0);
  CHECK(hours[1].bytes.up == 10);
  CHECK(hours[1].bytes.down == 25);
  // A sample without new bytes keeps the hour; one with bytes in a later hour closes it.
  CHECK(l.apply("a", "u1", {10, 20}, t0 + 3 * hour).closed_bytes.total() == 0);
  auto later = l.apply("a", "u1", {11, 20}, t0 + 3 * hour + 1);
  CHECK(later.closed_hour_ms == t0);
  CHECK(later.closed_bytes.total() == 30);
  CHECK(later.entry->hour_ms == t0 + 3 * hour);
  CHECK(later.used == 36);
  std::vector<usage_bucket> open;
  l.add_open_hours("u1", t0, t0 + 4 * hour, open);
  REQUIRE(open.size() == 2);
  CHECK(open[0].hour_ms == t0);
  CHECK(open[0].bytes.total() == 5);
  CHECK(open[1].hour_ms == t0 + 3 * hour);
  CHECK(open[1].bytes.total() == 1);
  std::vector<usage_bucket> outside;
  l.add_open_hours("u1", t0 + hour, t0 + 3 * hour, outside);
  CHECK(outside.empty());
  l.add_open_hours("nobody", t0, t0 + 4 * hour, outside);
  CHECK(outside.empty());
}
