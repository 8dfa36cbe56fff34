#include "coordinator/store/store.hpp"
#include "tests/coordinator/store/raw_db.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <rocksdb/db.h>

#include <limits>

using namespace fleet;
using fleet::test::raw_db;
using fleet::test::temp_dir;

namespace {

client_record client_named(const std::string& email, const std::string& server = "1") {
  client_record c;
  c.email = email;
  c.user_id = "12345";
  c.uuid = "b831381d-6324-4d53-ad4f-8cda48b30811";
  c.sub_id = "sub";
  c.server_id = server;
  c.inbound_id = 1;
  c.total_gb = 50;
  c.expiry_time_ms = 1'795'633'585'000;
  c.created_at_ms = 1'795'000'000'000;
  return c;
}

/// `n` create intents of clients u0, u1, ...
std::vector<intent_record> create_intents(size_t n) {
  std::vector<intent_record> out(n);
  for (size_t i = 0; i < n; ++i) {
    out[i].kind = "create";
    out[i].email = "u" + std::to_string(i);
    out[i].client = client_named(out[i].email);
  }
  return out;
}

std::unique_ptr<store> open_store(const temp_dir& dir) {
  auto s = store::open(dir.str());
  REQUIRE(s);
  return std::move(*s);
}

} // namespace

TEST_CASE("store: servers, clients and intents survive a reopen", "[store]") {
  temp_dir dir;
  {
    auto s = open_store(dir);
    server_record srv;
    srv.id = "3";
    srv.admin = "draining";
    srv.health.server_id = "3";
    srv.health.state = server_state::healthy;
    srv.health.active_clients = 42;
    REQUIRE_FALSE(s->put_server(srv));
    REQUIRE_FALSE(s->put_client(client_named("alice")));
    REQUIRE_FALSE(s->put_client(client_named("bob", "2")));
    intent_record open;
    open.kind = "create";
    open.email = "carol";
    open.server_id = "1";
    open.client = client_named("carol");
    REQUIRE(s->begin_intent(open).value() == 1);
  }
  auto s = open_store(dir);
  auto servers = s->servers();
  REQUIRE(servers);
  REQUIRE(servers->size() == 1);
  CHECK(servers->at(0).admin == "draining");
  CHECK(servers->at(0).health.state == server_state::healthy);
  CHECK(servers->at(0).health.active_clients == 42);
  auto clients = s->clients();
  REQUIRE(clients);
  CHECK(clients->size() == 2);
  auto bob = s->client("bob");
  REQUIRE(bob);
  REQUIRE(bob->has_value());
  CHECK((*bob)->server_id == "2");
  CHECK((*bob)->total_gb == 50);
  CHECK_FALSE(s->client("nobody")->has_value());
  auto intents = s->open_intents();
  REQUIRE(intents);
  REQUIRE(intents->size() == 1);
  CHECK(intents->at(0).email == "carol");
  CHECK(intents->at(0).client.uuid == client_named("carol").uuid);
  // Intent ids keep growing across restarts.
  intent_record next;
  next.kind = "delete";
  next.email = "bob";
  CHECK(s->begin_intent(next).value() == 2);
}

TEST_CASE("store: completing an intent stores its effect atomically", "[store]") {
  temp_dir dir;
  auto s = open_store(dir);
  intent_record create;
  create.kind = "create";
  create.email = "dave";
  create.client = client_named("dave");
  auto id = s->begin_intent(create).value();
  REQUIRE_FALSE(s->complete_intent(id, &create.client, nullptr));
  CHECK(s->open_intents()->empty());
  CHECK(s->client("dave")->has_value());
  intent_record remove;
  remove.kind = "delete";
  remove.email = "dave";
  auto id2 = s->begin_intent(remove).value();
  std::string email = "dave";
  REQUIRE_FALSE(s->complete_intent(id2, nullptr, &email));
  CHECK_FALSE(s->client("dave")->has_value());
  CHECK(s->open_intents()->empty());
}

TEST_CASE("store: a second instance on the same data dir is refused clearly", "[store]") {
  temp_dir dir;
  auto first = open_store(dir);
  auto second = store::open(dir.str());
  REQUIRE_FALSE(second);
  CHECK(code_of(second.error()) == ec::conflict);
  CHECK_THAT(message_of(second.error()), Catch::Contains("is in use by another fleet-coordinator"));
  first.reset();
  CHECK(store::open(dir.str()));
}

TEST_CASE("store: damaged records are reported with their key", "[store]") {
  temp_dir dir;
  {
    auto s = open_store(dir);
    REQUIRE_FALSE(s->put_client(client_named("ok")));
  }
  {
    // Write garbage under a client key with RocksDB directly.
    raw_db raw{dir.str()};
    auto* clients = raw.family("clients");
    REQUIRE(raw.db().Put(rocksdb::WriteOptions{}, clients, "broken", "{not json").ok());
    REQUIRE(raw.db().Put(rocksdb::WriteOptions{}, clients, "future", R"({"v": 9})").ok());
  }
  auto s = open_store(dir);
  auto clients = s->clients();
  REQUIRE_FALSE(clients);
  CHECK(message_of(clients.error()) == "store: client broken: stored client is not JSON");
  auto future = s->client("future");
  REQUIRE_FALSE(future);
  CHECK_THAT(message_of(future.error()), Catch::Contains("schema version 9, expected 1"));
}

TEST_CASE("store: an unusable data dir is reported", "[store]") {
  auto s = store::open("/proc/fleet-cannot-be-here");
  REQUIRE_FALSE(s);
  CHECK_THAT(message_of(s.error()), Catch::StartsWith("store: cannot create data dir /proc/"));
}

TEST_CASE("store: events get increasing sequence numbers and survive a reopen", "[store]") {
  temp_dir dir;
  {
    auto s = open_store(dir);
    CHECK(s->last_event_seq() == 0);
    std::vector<event_record> events(3);
    events[0].type = "server.healthy";
    events[0].server_id = "a";
    events[1].type = "client.created";
    events[1].email = "u1";
    events[1].data = {{"inbound_id", 1}};
    events[2].type = "client.deleted";
    REQUIRE_FALSE(s->append_events(events));
    CHECK(events[2].seq == 3);
    CHECK(s->last_event_seq() == 3);
  }
  auto s = open_store(dir);
  CHECK(s->last_event_seq() == 3);
  auto after_one = s->events_after(1, 10);
  REQUIRE(after_one);
  REQUIRE(after_one->size() == 2);
  CHECK(after_one->front().seq == 2);
  CHECK(after_one->front().email == "u1");
  CHECK(after_one->front().data["inbound_id"] == 1);
  auto limited = s->events_after(0, 1);
  REQUIRE(limited);
  CHECK(limited->size() == 1);
  std::vector<event_record> more(1);
  more[0].type = "server.unhealthy";
  REQUIRE_FALSE(s->append_events(more));
  CHECK(more[0].seq == 4);
}

TEST_CASE("store: intents written together get consecutive ids", "[store]") {
  temp_dir dir;
  auto s = open_store(dir);
  auto intents = create_intents(3);
  REQUIRE_FALSE(s->begin_intents(intents));
  CHECK(intents[0].id == 1);
  CHECK(intents[2].id == 3);
  auto open = s->open_intents();
  REQUIRE(open);
  CHECK(open->size() == 3);
}

TEST_CASE("store: idempotent answers are kept by key", "[store]") {
  temp_dir dir;
  auto s = open_store(dir);
  auto none = s->answer("k1");
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  REQUIRE_FALSE(s->put_answer("k1", idempotent_answer{"digest", client_named("u5")}));
  auto found = s->answer("k1");
  REQUIRE(found);
  REQUIRE(found->has_value());
  CHECK((*found)->body_digest == "digest");
  CHECK((*found)->client.email == "u5");
}

TEST_CASE("store: ledger entries survive a reopen", "[store]") {
  temp_dir dir;
  {
    auto s = open_store(dir);
    ledger_entry e;
    e.last = {10, 20};
    e.read_at_ms = 1'234;
    e.used = {5, 6};
    e.carried = {7, 8};
    REQUIRE_FALSE(s->put_ledger({{"a", "u1", e}, {"b", "u1", e}, {"a", "u2", e}}));
  }
  auto s = open_store(dir);
  auto all = s->ledger();
  REQUIRE(all);
  REQUIRE(all->size() == 3);
  // By email, then server.
  CHECK(all->at(0).email == "u1");
  CHECK(all->at(0).server_id == "a");
  CHECK(all->at(1).server_id == "b");
  CHECK(all->at(2).email == "u2");
  const auto& e = all->at(1).entry;
  CHECK(e.last.up == 10);
  CHECK(e.last.down == 20);
  CHECK(e.read_at_ms == 1'234);
  CHECK(e.used.total() == 11);
  CHECK(e.carried.total() == 15);
}

TEST_CASE("store: confirmed creations, their events and answers go in one write", "[store]") {
  temp_dir dir;
  {
    auto s = open_store(dir);
    auto intents = create_intents(2);
    REQUIRE_FALSE(s->begin_intents(intents));
    std::vector<event_record> earlier(1);
    earlier[0].type = "server.healthy";
    REQUIRE_FALSE(s->append_events(earlier));
    confirmed_writes writes;
    for (const auto& i : intents) {
      writes.created.emplace_back(i.id, i.client);
      event_record e;
      e.type = "client.created";
      e.email = i.email;
      writes.events.push_back(e);
    }
    writes.answers.emplace_back("key-1", idempotent_answer{"digest", intents[1].client});
    REQUIRE_FALSE(s->commit(writes));
    // Numbered after what the log held, in the order given.
    CHECK(writes.events[0].seq == 2);
    CHECK(writes.events[1].seq == 3);
    CHECK(s->last_event_seq() == 3);
    confirmed_writes nothing;
    CHECK_FALSE(s->commit(nothing));
    CHECK(s->last_event_seq() == 3);
  }
  auto s = open_store(dir);
  CHECK(s->open_intents()->empty());
  CHECK(s->client("u0")->has_value());
  CHECK(s->client("u1")->has_value());
  auto events = s->events_after(1, 10);
  REQUIRE(events);
  REQUIRE(events->size() == 2);
  CHECK(events->at(0).email == "u0");
  CHECK(events->at(1).email == "u1");
  auto kept = s->answer("key-1");
  REQUIRE(kept);
  REQUIRE(kept->has_value());
  CHECK((*kept)->client.email == "u1");
}

TEST_CASE("store: ledger entries in the JSON of earlier versions are read, and rewritten binary",
          "[store]") {
  temp_dir dir;
  static_cast<void>(open_store(dir));
  {
    raw_db raw{dir.str()};
    auto* ledger = raw.family("ledger");
    REQUIRE(raw.db()
                .Put(rocksdb::WriteOptions{}, ledger, "u1\na",
                     R"({"v":1,"server_id":"a","email":"u1","read_at_ms":1234,)"
                     R"("last":[10,20],"used":[5,6],"carried":[7,8]})")
                .ok());
  }
  {
    auto s = open_store(dir);
    auto all = s->ledger();
    REQUIRE(all);
    REQUIRE(all->size() == 1);
    const auto& e = all->front().entry;
    CHECK(all->front().email == "u1");
    CHECK(all->front().server_id == "a");
    CHECK(e.read_at_ms == 1'234);
    CHECK(e.last.down == 20);
    CHECK(e.used.total() == 11);
    CHECK(e.carried.total() == 15);
    CHECK(e.hour_bytes.total() == 0);
    auto changed = all->front();
    changed.entry.last.up = 11;
    changed.entry.hour_ms = 3'600'000;
    changed.entry.hour_bytes = {1, 0};
    REQUIRE_FALSE(s->put_ledger({changed}));
  }
  raw_db raw{dir.str()};
  std::string value;
  REQUIRE(raw.db().Get(rocksdb::ReadOptions{}, raw.family("ledger"), "u1\na", &value).ok());
  CHECK(value.front() == '\x01');
  CHECK(value.size() < 40);
  ledger_record back;
  REQUIRE_FALSE(decode("u1\na", value, back));
  CHECK(back.entry.last.up == 11);
  CHECK(back.entry.hour_ms == 3'600'000);
  CHECK(back.entry.hour_bytes.up == 1);
}

TEST_CASE("store: a damaged ledger entry fails the read and names the entry", "[store]") {
  ledger_entry e;
  e.read_at_ms = 1'795'000'000'000;
  e.last = {-1, std::numeric_limits<int64_t>::max()};
  e.used = {std::numeric_limits<int64_t>::min(), 0};
  e.hour_ms = 1'794'999'600'000;
  auto value = encode(ledger_record{"a", "u1", e});
  ledger_record x;
  REQUIRE_FALSE(decode("u1\na", value, x));
  CHECK(x.entry.last.down == std::numeric_limits<int64_t>::max());
  CHECK(x.entry.used.up == std::numeric_limits<int64_t>::min());
  CHECK(x.entry.hour_ms == e.hour_ms);
  for (const auto& bad :
       {value.substr(0, value.size() - 1), value + "x", "\x02" + value.substr(1), std::string{}})
    CHECK(decode("u1\na", bad, x));
  CHECK(decode("no-server", value, x));
  temp_dir dir;
  static_cast<void>(open_store(dir));
  {
    raw_db raw{dir.str()};
    REQUIRE(raw.db()
                .Put(rocksdb::WriteOptions{}, raw.family("ledger"), "u1\na",
                     value.substr(0, value.size() - 1))
                .ok());
  }
  auto s = open_store(dir);
  auto all = s->ledger();
  REQUIRE_FALSE(all);
  CHECK(message_of(all.error()).find("u1") != std::string::npos);
}
