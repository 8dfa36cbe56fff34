#include "coordinator/ledger/sample_round.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace fleet;

namespace {

constexpr int64_t hour = 3'600'000;
constexpr int64_t t0 = 1'800'000'000'000; // an hour boundary

/// Books `email` on `server` with `gb` of quota and `expiry`.
void book_on(client_book& book, const std::string& server, const std::string& email, double gb = 0,
             int64_t expiry = 0) {
  book.put(email,
           booked_client{server, client_terms{bytes_of_gb(gb), expiry}, true, limit_reason::none});
}

/// Counters as a panel holding the client as `order_of` would write it reports them.
client_counters seen(const std::string& email, int64_t up, int64_t down, int64_t total_bytes = 0,
                     bool enable = true, int64_t expiry = 0) {
  return client_counters{email, up, down, enable, total_bytes, expiry};
}

bool has(const std::vector<std::string>& xs, const std::string& x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

} // namespace

TEST_CASE("round: counters are charged, written and bucketed in the hour of the check",
          "[ledger]") {
  traffic_ledger ledger;
  client_book book;
  book_on(book, "a", "u1");
  book_on(book, "a", "u2");
  auto first = charge_counters(ledger, book, "a", {seen("u1", 0, 0), seen("u2", 10, 20)}, t0, t0);
  // A zero first sample changes nothing worth writing.
  REQUIRE(first.entries.size() == 1);
  CHECK(first.entries[0].email == "u2");
  auto second = charge_counters(ledger, book, "a", {seen("u1", 5, 0), seen("u2", 10, 20)},
                                t0 + hour + 30'000, t0 + hour + 30'000);
  // Unchanged counters are not written again.
  REQUIRE(second.entries.size() == 1);
  CHECK(second.entries[0].email == "u1");
  // The hour of the check is open in the entry; none was closed yet.
  CHECK(second.entries[0].entry.hour_ms == t0 + hour);
  CHECK(second.entries[0].entry.hour_bytes.up == 5);
  CHECK(second.client_hours.empty());
  CHECK(second.server_hour.owner == "a");
  CHECK(second.server_hour.hour_ms == t0 + hour);
  CHECK(second.server_hour.bytes.total() == 5);
  CHECK(second.to_amend.empty());
  // More bytes in the same hour stay open; the first of a later hour closes the bucket.
  auto same_hour = charge_counters(ledger, book, "a", {seen("u1", 7, 0), seen("u2", 10, 20)},
                                   t0 + hour + 60'000, t0 + hour + 60'000);
  CHECK(same_hour.client_hours.empty());
  CHECK(same_hour.entries.at(0).entry.hour_bytes.up == 7);
  auto unchanged = charge_counters(ledger, book, "a", {seen("u1", 7, 0), seen("u2", 10, 20)},
                                   t0 + 3 * hour, t0 + 3 * hour);
  CHECK(unchanged.client_hours.empty());
  CHECK(unchanged.entries.empty());
  auto later = charge_counters(ledger, book, "a", {seen("u1", 8, 0), seen("u2", 10, 21)},
                               t0 + 4 * hour, t0 + 4 * hour);
  REQUIRE(later.client_hours.size() == 2);
  CHECK(later.client_hours[0].owner == "u1");
  CHECK(later.client_hours[0].hour_ms == t0 + hour);
  CHECK(later.client_hours[0].bytes.up == 7);
  CHECK(later.client_hours[1].owner == "u2");
  CHECK(later.client_hours[1].hour_ms == t0);
  CHECK(later.client_hours[1].bytes.total() == 30);
  CHECK(later.entries.at(0).entry.hour_ms == t0 + 4 * hour);
  CHECK(later.entries.at(0).entry.hour_bytes.up == 1);
}

TEST_CASE("round: emails the fleet does not know are foreign and charged to no one", "[ledger]") {
  traffic_ledger ledger;
  client_book book;
  book_on(book, "a", "u1");
  auto r = charge_counters(ledger, book, "a", {seen("seed", 100, 100), seen("u1", 1, 1)}, t0, t0);
  CHECK(r.foreign == 1);
  CHECK(ledger.find("a", "seed") == nullptr);
  CHECK(r.server_hour.bytes.total() == 2);
}

TEST_CASE("round: the quota reached stops the client and its panel copy is amended", "[ledger]") {
  traffic_ledger ledger;
  client_book book;
  // 1 KiB quota: 1/1048576 GiB.
  book_on(book, "a", "u1", 1.0 / 1'048'576);
  auto quota = bytes_of_gb(1.0 / 1'048'576);
  REQUIRE(quota == 1'024);
  auto under = charge_counters(ledger, book, "a", {seen("u1", 500, 0, quota)}, t0, t0);
  CHECK(under.changes.empty());
  CHECK(under.to_amend.empty());
  auto over = charge_counters(ledger, book, "a", {seen("u1", 500, 600, quota)}, t0 + 1, t0 + 1);
  REQUIRE(over.changes.size() == 1);
  CHECK(over.changes[0].after == limit_reason::quota);
  CHECK(over.changes[0].used == 1'100);
  CHECK(book.find("u1")->limited == limit_reason::quota);
  CHECK(has(over.to_amend, "u1"));
  // Once the panel holds it stopped, nothing more is asked.
  auto after
      = charge_counters(ledger, book, "a", {seen("u1", 500, 600, 1'100, false)}, t0 + 2, t0 + 2);
  CHECK(after.changes.empty());
  CHECK(after.to_amend.empty());
}

TEST_CASE("round: a moved client's usage elsewhere lowers the quota its new panel holds",
          "[ledger]") {
  traffic_ledger ledger;
  client_book book;
  book_on(book, "a", "u1", 1.0 / 1'048'576); // 1024 bytes
  CHECK(charge_counters(ledger, book, "a", {seen("u1", 100, 200, 1'024)}, t0, t0).entries.size()
        == 1);
  book_on(book, "b", "u1", 1.0 / 1'048'576);
  // The copy left on a is still charged, but not managed from there.
  auto left = charge_counters(ledger, book, "a", {seen("u1", 100, 300, 1'024)}, t0 + 1, t0 + 1);
  CHECK(left.to_amend.empty());
  CHECK(ledger.usage("u1").total.total() == 400);
  // The new panel was given what was left (624), and still holds it.
  auto fresh = charge_counters(ledger, book, "b", {seen("u1", 0, 0, 624)}, t0 + 2, t0 + 2);
  CHECK(fresh.to_amend.empty());
  // A panel holding the full quota is corrected.
  auto wrong = charge_counters(ledger, book, "b", {seen("u1", 0, 10, 1'024)}, t0 + 3, t0 + 3);
  CHECK(has(wrong.to_amend, "u1"));
  CHECK(panel_terms_of(*book.find("u1"), ledger.usage("u1").total.total(), 10).total_bytes
        == 1'024 - 410 + 10);
}

TEST_CASE("round: the expiry stops the client and the panel's expiry is kept equal", "[ledger]") {
  traffic_ledger ledger;
  client_book book;
  book_on(book, "a", "u1", 0, t0 + 10'000);
  auto before = charge_counters(ledger, book, "a", {seen("u1", 0, 0, 0, true, t0 + 10'000)}, t0,
                                t0 + 9'999);
  CHECK(before.changes.empty());
  CHECK(before.to_amend.empty());
  auto drifted
      = charge_counters(ledger, book, "a", {seen("u1", 0, 0, 0, true, 0)}, t0 + 1, t0 + 9'999);
  CHECK(has(drifted.to_amend, "u1"));
  auto expired = charge_counters(ledger, book, "a", {seen("u1", 0, 0, 0, true, t0 + 10'000)},
                                 t0 + 2, t0 + 10'000);
  REQUIRE(expired.changes.size() == 1);
  CHECK(expired.changes[0].after == limit_reason::expired);
  CHECK(has(expired.to_amend, "u1"));
}

TEST_CASE("round: a counter reset on the panel is a new baseline and charges nothing", "[ledger]") {
  traffic_ledger ledger;
  client_book book;
  book_on(book, "a", "u1");
  CHECK(charge_counters(ledger, book, "a", {seen("u1", 100, 100)}, t0, t0).entries.size() == 1);
  auto wiped = charge_counters(ledger, book, "a", {seen("u1", 0, 5)}, t0 + 1, t0 + 1);
  CHECK(wiped.new_baselines == 1);
  CHECK(wiped.entries.size() == 1);
  CHECK(wiped.client_hours.empty());
  CHECK(ledger.usage("u1").total.total() == 200);
  CHECK(charge_counters(ledger, book, "a", {seen("u1", 0, 25)}, t0 + 2, t0 + 2).entries.size()
        == 1);
  CHECK(ledger.usage("u1").total.total() == 220);
}

TEST_CASE("round: hours start on the hour", "[ledger]") {
  CHECK(hour_of(t0) == t0);
  CHECK(hour_of(t0 + hour - 1) == t0);
  CHECK(hour_of(t0 + hour) == t0 + hour);
}

TEST_CASE("round: a panel's roster finds its clients again, also when they changed places",
          "[ledger]") {
  traffic_ledger ledger;
  client_book book;
  panel_roster roster;
  book_on(book, "a", "u1");
  book_on(book, "a", "u2");
  auto first = charge_counters(ledger, book, roster, "a",
                               {seen("u1", 1, 0), seen("u2", 2, 0), seen("new", 3, 0)}, t0, t0);
  CHECK(first.foreign == 1);
  REQUIRE(roster.places.size() == 3);
  // u1 is deleted and its place in the book and the ledger goes to a client made since.
  book.erase("u1");
  ledger.forget("u1");
  book_on(book, "a", "new");
  auto second
      = charge_counters(ledger, book, roster, "a",
                        {seen("u1", 5, 0), seen("u2", 4, 0), seen("new", 6, 0)}, t0 + 1, t0 + 1);
  CHECK(second.foreign == 1);
  CHECK(ledger.find("a", "u1") == nullptr);
  CHECK(ledger.usage("u2").total.up == 4);
  CHECK(ledger.usage("new").total.up == 6);
  // The panel lists them in another order, with one fewer.
  auto third = charge_counters(ledger, book, roster, "a", {seen("new", 9, 0), seen("u2", 7, 0)},
                               t0 + 2, t0 + 2);
  CHECK(third.foreign == 0);
  CHECK(roster.places.size() == 2);
  CHECK(ledger.usage("u2").total.up == 7);
  CHECK(ledger.usage("new").total.up == 9);
  CHECK(third.entries.size() == 2);
}
