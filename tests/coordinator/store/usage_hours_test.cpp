#include "coordinator/store/store.hpp"
#include "coordinator/store/usage_hours.hpp"
#include "tests/coordinator/store/raw_db.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <rocksdb/compaction_filter.h>
#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <tuple>

using namespace fleet;
using fleet::test::raw_db;
using fleet::test::temp_dir;

namespace {

constexpr int64_t hour = usage_hours::hour_ms;

std::unique_ptr<store> open_store(const temp_dir& dir) {
  auto s = store::open(dir.str());
  REQUIRE(s);
  return std::move(*s);
}

/// The start of an hour that is well inside the retention.
int64_t recent_hour(int64_t hours_ago = 2) {
  return usage_hours::hour_start(real_clock().wall_ms()) - hours_ago * hour;
}

usage_bucket bucket(std::string owner, int64_t at, int64_t up, int64_t down) {
  return usage_bucket{std::move(owner), at, byte_counts{up, down}};
}

/// Buckets as (hour, up, down).
using hours = std::vector<std::tuple<int64_t, int64_t, int64_t>>;

/// Every hour of the client `owner`, whatever the range.
hours client_hours_of(const store& s, const std::string& owner) {
  auto xs = s.client_hours(owner, INT64_MIN, INT64_MAX);
  REQUIRE(xs);
  hours out;
  for (const auto& x : *xs) {
    CHECK(x.owner == owner);
    out.emplace_back(x.hour_ms, x.bytes.up, x.bytes.down);
  }
  return out;
}

} // namespace

TEST_CASE("store hours: the bytes of rounds add up per hour, also across a reopen",
          "[store][usage]") {
  temp_dir dir;
  auto h1 = recent_hour(3);
  auto h2 = recent_hour(2);
  ledger_entry e;
  e.last = {100, 200};
  e.read_at_ms = h1 + 10;
  {
    auto s = open_store(dir);
    REQUIRE_FALSE(s->write_round({{"srv-a", "u1", e}}, {bucket("u1", h1, 1, 2)},
                                 {bucket("srv-a", h1, 1, 2)}));
    // Two samples of one round in the same hour, the second not at the start of it.
    REQUIRE_FALSE(s->write_round({},
                                 {bucket("u1", h1, 10, 20), bucket("u1", h1 + 59 * 60'000, 3, 4)},
                                 {bucket("srv-a", h2, 5, 6)}));
    CHECK(client_hours_of(*s, "u1") == hours{{h1, 14, 26}});
  }
  auto s = open_store(dir);
  REQUIRE_FALSE(s->write_round({}, {bucket("u1", h1, 100, 200), bucket("u1", h2, 7, 8)}, {}));
  CHECK(client_hours_of(*s, "u1") == hours{{h1, 114, 226}, {h2, 7, 8}});
  auto servers = s->server_hours("srv-a", INT64_MIN, INT64_MAX);
  REQUIRE(servers);
  REQUIRE(servers->size() == 2);
  CHECK(servers->at(0).hour_ms == h1);
  CHECK(servers->at(0).bytes.total() == 3);
  CHECK(servers->at(1).hour_ms == h2);
  CHECK(servers->at(1).bytes.total() == 11);
  // Client and server hours are apart even under one name.
  CHECK(s->server_hours("u1", INT64_MIN, INT64_MAX)->empty());
  CHECK(s->client_hours("srv-a", INT64_MIN, INT64_MAX)->empty());
  // The round's ledger entry is stored as put_ledger stores it.
  auto ledger = s->ledger();
  REQUIRE(ledger);
  REQUIRE(ledger->size() == 1);
  CHECK(ledger->at(0).email == "u1");
  CHECK(ledger->at(0).server_id == "srv-a");
  CHECK(ledger->at(0).entry.last.down == 200);
  CHECK(ledger->at(0).entry.read_at_ms == h1 + 10);
}

TEST_CASE("store hours: owners that are prefixes of each other keep their hours apart",
          "[store][usage]") {
  temp_dir dir;
  auto s = open_store(dir);
  auto h = recent_hour();
  REQUIRE_FALSE(s->write_round({},
                               {bucket("u1", h, 1, 0), bucket("u10", h, 10, 0),
                                bucket("u10", h + hour, 11, 0), bucket("u", h, 100, 0),
                                bucket("u1.x", h - hour, 1000, 0)},
                               {}));
  CHECK(client_hours_of(*s, "u1") == hours{{h, 1, 0}});
  CHECK(client_hours_of(*s, "u10") == hours{{h, 10, 0}, {h + hour, 11, 0}});
  CHECK(client_hours_of(*s, "u") == hours{{h, 100, 0}});
  CHECK(client_hours_of(*s, "u1.x") == hours{{h - hour, 1000, 0}});
  CHECK(client_hours_of(*s, "u2").empty());
}

TEST_CASE("store hours: a read returns the hours from its start up to, not including, its end",
          "[store][usage]") {
  temp_dir dir;
  auto s = open_store(dir);
  auto h0 = recent_hour(10);
  std::vector<usage_bucket> xs;
  for (int64_t i = 0; i < 4; ++i)
    xs.push_back(bucket("srv", h0 + i * hour, i, 0));
  REQUIRE_FALSE(s->write_round({}, {}, xs));
  auto starts = [&](int64_t from, int64_t to) {
    auto got = s->server_hours("srv", from, to);
    REQUIRE(got);
    std::vector<int64_t> out;
    for (const auto& x : *got)
      out.push_back(x.hour_ms);
    return out;
  };
  CHECK(starts(h0 + hour, h0 + 3 * hour) == std::vector<int64_t>{h0 + hour, h0 + 2 * hour});
  // An hour counts by its start.
  CHECK(starts(h0 + hour + 1, h0 + 3 * hour + 1)
        == std::vector<int64_t>{h0 + 2 * hour, h0 + 3 * hour});
  CHECK(starts(h0, h0 + 4 * hour).size() == 4);
  CHECK(starts(h0 + hour, h0 + hour).empty());
  CHECK(starts(h0 + 3 * hour, h0).empty());
}

TEST_CASE("store hours: hours past the retention are left out of reads", "[store][usage]") {
  temp_dir dir;
  auto s = open_store(dir);
  auto old = recent_hour() - store::usage_retention_ms - 24 * hour;
  auto fresh = recent_hour();
  REQUIRE_FALSE(s->write_round({}, {bucket("u1", old, 1, 1), bucket("u1", fresh, 2, 2)},
                               {bucket("srv", old, 3, 3)}));
  CHECK(client_hours_of(*s, "u1") == hours{{fresh, 2, 2}});
  CHECK(s->client_hours("u1", old, fresh)->empty());
  CHECK(s->server_hours("srv", INT64_MIN, INT64_MAX)->empty());
}

TEST_CASE("store hours: a round with an owner that cannot be a key writes nothing",
          "[store][usage]") {
  temp_dir dir;
  auto s = open_store(dir);
  ledger_entry e;
  auto err = s->write_round({{"srv", "u1", e}}, {bucket("u1", recent_hour(), 1, 1)},
                            {bucket("bad\nid", recent_hour(), 1, 1)});
  REQUIRE(err);
  CHECK(code_of(err) == ec::invalid_argument);
  CHECK(s->ledger()->empty());
  CHECK(client_hours_of(*s, "u1").empty());
  auto read = s->server_hours("bad\nid", INT64_MIN, INT64_MAX);
  REQUIRE_FALSE(read);
  CHECK(code_of(read.error()) == ec::invalid_argument);
  // An empty round writes nothing and succeeds.
  CHECK_FALSE(s->write_round({}, {}, {}));
}

TEST_CASE("store hours: a damaged bucket is reported until a round adds to it", "[store][usage]") {
  temp_dir dir;
  auto h = recent_hour();
  open_store(dir).reset();
  {
    raw_db raw{dir.str()};
    REQUIRE(raw.db()
                .Put(rocksdb::WriteOptions{}, raw.family("client_hours"), usage_hours::key("u1", h),
                     "short")
                .ok());
  }
  auto s = open_store(dir);
  auto damaged = s->client_hours("u1", INT64_MIN, INT64_MAX);
  REQUIRE_FALSE(damaged);
  CHECK(code_of(damaged.error()) == ec::io_error);
  CHECK(message_of(damaged.error())
        == "store: damaged hourly usage of client u1 (11-byte key, 5-byte value)");
  // Other owners are not affected.
  CHECK(client_hours_of(*s, "u10").empty());
  // The damaged value counts as zero.
  REQUIRE_FALSE(s->write_round({}, {bucket("u1", h, 5, 6)}, {}));
  CHECK(client_hours_of(*s, "u1") == hours{{h, 5, 6}});
}

TEST_CASE("store hours: a store made before hourly usage opens and keeps hours", "[store][usage]") {
  temp_dir dir;
  {
    // The column families of the store before hourly buckets.
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const auto* name :
         {"servers", "clients", "intents", "events", "idempotency", "stale", "ledger"})
      families.emplace_back(name, rocksdb::ColumnFamilyOptions{});
    raw_db raw{dir.str(), families};
  }
  auto s = open_store(dir);
  auto h = recent_hour();
  REQUIRE_FALSE(s->write_round({}, {bucket("u1", h, 1, 2)}, {bucket("srv", h, 3, 4)}));
  CHECK(client_hours_of(*s, "u1") == hours{{h, 1, 2}});
  s.reset();
  s = open_store(dir);
  CHECK(client_hours_of(*s, "u1") == hours{{h, 1, 2}});
}

TEST_CASE("store hours: keys of one owner sort by hour, before 1970 too", "[store][usage]") {
  using usage_hours::key;
  CHECK(key("u1", -hour) < key("u1", 0));
  CHECK(key("u1", 0) < key("u1", hour));
  CHECK(key("u1", hour) < key("u1", int64_t{1} << 40));
  CHECK(key("u1", INT64_MIN) < key("u1", INT64_MAX));
  CHECK(key("u1", 7).size() == 2 + 1 + 8);
  CHECK(usage_hours::hour_of(key("u1", -5 * hour), "u1") == -5 * hour);
  CHECK_FALSE(usage_hours::hour_of(key("u10", hour), "u1"));
  CHECK_FALSE(usage_hours::hour_of("u1\n1234567", "u1"));
  CHECK(usage_hours::hour_start(hour + 1) == hour);
  CHECK(usage_hours::hour_start(hour) == hour);
  CHECK(usage_hours::hour_start(-1) == -hour);
  CHECK(usage_hours::hour_start(-hour) == -hour);
  auto value = usage_hours::encode({1, -2});
  CHECK(value.size() == 16);
  CHECK(value[0] == 1);
  auto back = usage_hours::decode(value);
  REQUIRE(back);
  CHECK(back->up == 1);
  CHECK(back->down == -2);
  CHECK_FALSE(usage_hours::decode(value.substr(1)));
}

TEST_CASE("store hours: the merge operator adds and counts a damaged side as zero",
          "[store][usage]") {
  auto op = usage_hours::make_merge_operator();
  auto* add = dynamic_cast<rocksdb::AssociativeMergeOperator*>(op.get());
  REQUIRE(add != nullptr);
  auto merge = [&](const rocksdb::Slice* existing, const std::string& value) {
    std::string out;
    REQUIRE(add->Merge("k", existing, value, &out, nullptr));
    auto x = usage_hours::decode(out);
    REQUIRE(x);
    return std::pair{x->up, x->down};
  };
  auto ten = usage_hours::encode({10, 20});
  rocksdb::Slice ten_slice{ten};
  rocksdb::Slice garbage{"garbage"};
  CHECK(merge(nullptr, usage_hours::encode({1, 2})) == std::pair<int64_t, int64_t>{1, 2});
  CHECK(merge(&ten_slice, usage_hours::encode({1, 2})) == std::pair<int64_t, int64_t>{11, 22});
  CHECK(merge(&garbage, usage_hours::encode({1, 2})) == std::pair<int64_t, int64_t>{1, 2});
  CHECK(merge(&ten_slice, "x") == std::pair<int64_t, int64_t>{10, 20});
  // Overflow wraps instead of being undefined.
  auto max = usage_hours::encode({INT64_MAX, 0});
  rocksdb::Slice max_slice{max};
  CHECK(merge(&max_slice, usage_hours::encode({1, 0})).first == INT64_MIN);
}

TEST_CASE(
    "store hours: the retention filter judges values and merge operands by the hour in the key",
    "[store][usage]") {
  manual_clock clk{1'800'000'000'000};
  auto retention = 10 * hour;
  auto factory = usage_hours::make_retention_filter(clk, retention);
  rocksdb::CompactionFilter::Context ctx{true, true, 0,
                                         rocksdb::TableFileCreationReason::kCompaction};
  auto filter = factory->CreateCompactionFilter(ctx);
  auto old = usage_hours::key("u1", clk.wall_ms() - retention - 1);
  auto kept = usage_hours::key("u1", clk.wall_ms() - retention);
  auto value = usage_hours::encode({1, 1});
  std::string changed_to;
  bool changed = false;
  CHECK(filter->Filter(1, old, value, &changed_to, &changed));
  CHECK_FALSE(filter->Filter(1, kept, value, &changed_to, &changed));
  CHECK_FALSE(changed);
  CHECK(filter->FilterMergeOperand(1, old, value));
  CHECK_FALSE(filter->FilterMergeOperand(1, kept, value));
  // A key that carries no hour is not the filter's to drop.
  CHECK_FALSE(filter->Filter(1, "plain", value, &changed_to, &changed));
  // A filter reads the clock when a compaction starts.
  clk.advance(std::chrono::milliseconds{hour});
  CHECK_FALSE(filter->Filter(1, kept, value, &changed_to, &changed));
  CHECK(factory->CreateCompactionFilter(ctx)->Filter(1, kept, value, &changed_to, &changed));
}

TEST_CASE("store hours: a compaction drops expired hours, merge operands and merged values alike",
          "[store][usage]") {
  temp_dir dir;
  manual_clock clk{1'800'000'000'000};
  auto retention = 24 * hour;
  rocksdb::ColumnFamilyOptions options;
  options.merge_operator = usage_hours::make_merge_operator();
  options.compaction_filter_factory = usage_hours::make_retention_filter(clk, retention);
  raw_db raw{dir.str(), {{"hours", options}}};
  auto* cf = raw.family("hours");
  auto& db = raw.db();
  auto old = usage_hours::hour_start(clk.wall_ms() - retention - hour);
  auto fresh = usage_hours::hour_start(clk.wall_ms() - hour);
  rocksdb::WriteOptions wo;
  for (int i = 0; i < 2; ++i) {
    REQUIRE(db.Merge(wo, cf, usage_hours::key("u1", old), usage_hours::encode({1, 2})).ok());
    REQUIRE(db.Merge(wo, cf, usage_hours::key("u1", fresh), usage_hours::encode({3, 4})).ok());
  }
  REQUIRE(db.Put(wo, cf, usage_hours::key("u2", old), usage_hours::encode({5, 6})).ok());
  auto get = [&](const std::string& owner, int64_t at) -> std::optional<byte_counts> {
    std::string value;
    auto s = db.Get(rocksdb::ReadOptions{}, cf, usage_hours::key(owner, at), &value);
    if (s.IsNotFound())
      return std::nullopt;
    REQUIRE(s.ok());
    return usage_hours::decode(value);
  };
  // Before a compaction, expired hours are still there (the store's reads skip them).
  REQUIRE(get("u1", old));
  CHECK(get("u1", old)->up == 2);
  auto compact = [&] {
    REQUIRE(db.Flush(rocksdb::FlushOptions{}, cf).ok());
    REQUIRE(db.CompactRange(rocksdb::CompactRangeOptions{}, cf, nullptr, nullptr).ok());
  };
  compact();
  CHECK_FALSE(get("u1", old));
  CHECK_FALSE(get("u2", old));
  REQUIRE(get("u1", fresh));
  CHECK(get("u1", fresh)->up == 6);
  CHECK(get("u1", fresh)->down == 8);
  // The fresh hour, merged into one value by now, expires in a later compaction.
  clk.advance(std::chrono::milliseconds{retention});
  compact();
  CHECK_FALSE(get("u1", fresh));
}

TEST_CASE("store hours: a forgotten client's entries and hours go, its neighbours' stay",
          "[store][usage]") {
  temp_dir dir;
  auto s = open_store(dir);
  auto h = recent_hour();
  ledger_entry e;
  e.used = byte_counts{5, 5};
  e.carried = e.used;
  REQUIRE_FALSE(s->write_round({{"a", "u1", e}, {"b", "u1", e}, {"a", "u10", e}},
                               {bucket("u1", h, 5, 5), bucket("u10", h, 5, 5)}, {}));
  ledger_entry retired;
  retired.carried = byte_counts{5, 5};
  REQUIRE_FALSE(s->forget_usage("u1", {{"a", "", retired}, {"b", "", retired}}));
  auto left = s->ledger();
  REQUIRE(left);
  REQUIRE(left->size() == 3);
  int retired_records = 0;
  for (const auto& x : *left) {
    CHECK(x.email != "u1");
    retired_records += x.email.empty() ? 1 : 0;
  }
  CHECK(retired_records == 2);
  CHECK(client_hours_of(*s, "u1").empty());
  CHECK(client_hours_of(*s, "u10") == hours{{h, 5, 5}});
}
