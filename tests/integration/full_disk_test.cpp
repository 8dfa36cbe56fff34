// A full disk under the store: the store, the coordinator and the HTTP API over real sockets,
// with the data dir on a small file system that full_disk_test.sh mounts (a tmpfs) and names
// in FLEET_SMALL_FS (TMPDIR points there too). The tests fill it, check that every mutation is
// refused with store_unavailable and reaches no panel while reads go on, free it, and check
// that writes resume without a restart.

#include "tests/integration/api_fleet.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fleet::test {
namespace {

namespace fs = std::filesystem;

fs::path small_fs() {
  const char* dir = std::getenv("FLEET_SMALL_FS");
  REQUIRE(dir != nullptr); // run by full_disk_test.sh, which mounts it
  return dir;
}

/// A file that takes every free byte of the small file system until it is freed.
class disk_filler {
public:
  disk_filler() : path_(small_fs() / "filler") {}
  ~disk_filler() { release(); }

  disk_filler(const disk_filler&) = delete;
  disk_filler& operator=(const disk_filler&) = delete;

  void fill() {
    int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    REQUIRE(fd >= 0);
    std::vector<char> block(1 << 20, 'x');
    // Large blocks first, then single pages and bytes: the last partial page counts too.
    for (size_t size : {block.size(), size_t{4096}, size_t{1}})
      while (::write(fd, block.data(), size) > 0) {
      }
    auto why = errno;
    ::close(fd);
    REQUIRE(why == ENOSPC);
  }

  void release() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }

private:
  fs::path path_;
};

client_record sample(const std::string& email) {
  client_record c;
  c.email = email;
  c.user_id = "1";
  c.server_id = "a";
  c.uuid = "0b3f5e4c-8a49-4c8e-9d3a-7f0c2b1e5a6d";
  return c;
}

/// Writes clients until the store refuses (the write-ahead log's last page takes a few
/// records more after the disk is full); returns the error and counts the writes that passed.
caf::error write_until_refused(store& db, int& written) {
  for (int i = 0; i < 5000; ++i)
    if (auto err = db.put_client(sample("filler" + std::to_string(i))))
      return err;
    else
      ++written;
  return caf::none;
}

TEST_CASE("a store on a full disk refuses writes with the reason, reads on, and writes again "
          "by itself",
          "[full_disk]") {
  temp_dir dir;
  std::atomic<int> told{0};
  auto opened = store::open(dir.str());
  REQUIRE(opened);
  auto& db = **opened;
  db.on_condition_change([&told] { ++told; });
  REQUIRE_FALSE(db.put_client(sample("alice")));
  CHECK(db.condition().writable);
  disk_filler disk;
  disk.fill();
  int written = 0;
  auto err = write_until_refused(db, written);
  REQUIRE(err);
  CHECK(fleet::code_of(err) == ec::store_unavailable);
  CHECK_THAT(fleet::message_of(err), Catch::Contains("No space left on device")
                                         && Catch::Contains(dir.str())
                                         && Catch::Contains("writes resume by themselves"));
  auto now = db.condition();
  CHECK_FALSE(now.writable);
  CHECK_THAT(now.reason, Catch::Contains("No space left on device"));
  CHECK(told.load() == 1);
  // Every kind of write is refused the same way, and takes no intent id.
  std::vector<intent_record> intents(2);
  CHECK(fleet::code_of(db.begin_intents(intents)) == ec::store_unavailable);
  std::vector<event_record> events(1);
  events[0].type = "test.event";
  CHECK(fleet::code_of(db.append_events(events)) == ec::store_unavailable);
  CHECK(fleet::code_of(db.put_answer("key", idempotent_answer{})) == ec::store_unavailable);
  // Reads go on.
  auto alice = db.client("alice");
  REQUIRE(alice);
  CHECK(alice->has_value());
  auto all = db.clients();
  REQUIRE(all);
  CHECK(all->size() == static_cast<size_t>(1 + written));
  disk.release();
  REQUIRE(eventually([&db] { return db.condition().writable; }, 5s));
  CHECK(told.load() == 2);
  REQUIRE_FALSE(db.put_client(sample("bob")));
  REQUIRE_FALSE(db.begin_intents(intents));
  CHECK(intents[0].id == 1);
  CHECK(intents[1].id == 2);
  REQUIRE_FALSE(db.append_events(events));
  // Nothing is lost across a restart either.
  opened->reset();
  auto again = store::open(dir.str());
  REQUIRE(again);
  auto kept = (*again)->clients();
  REQUIRE(kept);
  CHECK(kept->size() == static_cast<size_t>(2 + written));
  auto open_intents = (*again)->open_intents();
  REQUIRE(open_intents);
  CHECK(open_intents->size() == 2);
}

TEST_CASE("a store that stops writing right after it opened writes again, to a fresh log",
          "[full_disk]") {
  // Opening flushes what the log held, so every memtable is empty: the case where RocksDB's
  // own Resume() keeps the failed log and the next write to it would abort the process.
  temp_dir dir;
  {
    auto first = store::open(dir.str());
    REQUIRE(first);
    REQUIRE_FALSE((*first)->put_client(sample("alice")));
  }
  auto opened = store::open(dir.str());
  REQUIRE(opened);
  auto& db = **opened;
  disk_filler disk;
  disk.fill();
  int written = 0;
  auto err = write_until_refused(db, written);
  REQUIRE(fleet::code_of(err) == ec::store_unavailable);
  for (int i = 0; i < 3; ++i)
    CHECK(fleet::code_of(db.put_client(sample("bob"))) == ec::store_unavailable);
  disk.release();
  REQUIRE(eventually([&db] { return db.condition().writable; }, 5s));
  for (int i = 0; i < 20; ++i)
    REQUIRE_FALSE(db.put_client(sample("carol" + std::to_string(i))));
  auto all = db.clients();
  REQUIRE(all);
  CHECK(all->size() == static_cast<size_t>(21 + written));
}

int64_t panel_adds(running_fleet& fleet) {
  int64_t n = 0;
  for (const auto* id : {"a", "b", "c"}) {
    auto counters = fleet.panels.find(id)->counters();
    for (const auto& item : counters.items()) {
      const auto& route = item.key();
      if (route.rfind("POST", 0) == 0
          && (route.find("addClient") != std::string::npos
              || route.find("clients/add") != std::string::npos))
        n += item.value().get<int64_t>();
    }
  }
  return n;
}

/// Creates clients through the API until one is refused; returns that answer. Creates that
/// fit in the log's last page pass (and are on their panel).
answer create_until_refused(api_fleet& f, int& created) {
  for (int i = 0; i < 200; ++i) {
    auto a = post(f, "/api/v1/clients",
                  R"({"user_id": "9", "email": "fill)" + std::to_string(i)
                      + R"(", "server_id": "a"})");
    if (a.status != 201)
      return a;
    ++created;
  }
  FAIL("200 creates passed on a full disk");
  return {};
}

TEST_CASE("on a full disk the API refuses every mutation with 503 store_unavailable, sends "
          "nothing to a panel, goes on reading, and accepts writes again once there is room",
          "[full_disk]") {
  api_fleet f;
  REQUIRE(
      post(f, "/api/v1/clients", R"({"user_id": "1", "email": "alice", "server_id": "b"})").status
      == 201);
  auto ready = get(f, "/readyz");
  CHECK(ready.body["store"]["writable"] == true);
  disk_filler disk;
  disk.fill();
  int created = 0;
  auto adds_before = panel_adds(f.fleet);
  auto refused = create_until_refused(f, created);
  CHECK(refused.status == 503);
  CHECK(code_of(refused) == "store_unavailable");
  CHECK_THAT(message_of(refused),
             Catch::Contains("No space left on device") && Catch::Contains(f.dir.str()));
  // The refused create reached no panel: only those that passed did.
  CHECK(panel_adds(f.fleet) == adds_before + created);
  auto refused_email = "fill" + std::to_string(created);
  for (const auto* id : {"a", "b", "c"})
    CHECK_FALSE(on_panel(f.fleet, id, refused_email));
  CHECK(get(f, "/api/v1/clients/" + refused_email).status == 404);

  auto adds = panel_adds(f.fleet);
  auto mutations = std::vector<answer>{
      post(f, "/api/v1/clients", R"({"user_id": "2", "email": "bob"})"),
      patch(f, "/api/v1/clients/alice", R"({"total_gb": 7})"),
      del(f, "/api/v1/clients/alice"),
      post(f, "/api/v1/clients/alice/renew", R"({"set_total_gb": 5})"),
      post(f, "/api/v1/clients/alice/reset-usage", ""),
      post(f, "/api/v1/servers/c/drain", ""),
      post(f, "/api/v1/servers/c/disable", ""),
      post(f, "/api/v1/servers/a/enable", ""),
      post(f, "/api/v1/servers/c/evacuate", ""),
      post(f, "/api/v1/clients", R"({"user_id": "3"})", {{"Idempotency-Key", "k-1"}}),
  };
  for (size_t i = 0; i < mutations.size(); ++i) {
    INFO("mutation " << i << ": " << mutations[i].text);
    CHECK(mutations[i].status == 503);
    CHECK(code_of(mutations[i]) == "store_unavailable");
  }
  CHECK(panel_adds(f.fleet) == adds);
  CHECK(f.fleet.panels.find("b")->counters().value("POST panel/api/inbounds/updateClient", 0) == 0);

  // Reads, selection, health checks and the metrics go on.
  auto alice = get(f, "/api/v1/clients/alice");
  CHECK(alice.status == 200);
  CHECK(alice.body["total_gb"] != 7);
  CHECK(get(f, "/api/v1/clients").status == 200);
  CHECK(get(f, "/api/v1/servers").status == 200);
  auto chosen = post(f, "/api/v1/select", R"({"user_id": "42"})");
  CHECK(chosen.status == 200);
  CHECK(chosen.body.contains("server_id"));
  CHECK(get(f, "/api/v1/events").status == 200);
  ready = get(f, "/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.body["store"]["writable"] == false);
  CHECK_THAT(ready.body["store"].value("reason", ""), Catch::Contains("No space left"));
  auto metrics = f.client().Get("/metrics");
  REQUIRE(metrics);
  CHECK_THAT(metrics->body, Catch::Contains("xui_fleet_store_writable 0")
                                && Catch::Contains("xui_fleet_store_outages_total 1"));
  auto checks_before = f.fleet.health()["a"].error_count;
  std::this_thread::sleep_for(1s);
  for (const auto* id : {"a", "b", "c"})
    CHECK(f.fleet.health()[id].state == server_state::healthy);
  CHECK(f.fleet.health()["a"].error_count == checks_before);

  disk.release();
  REQUIRE(eventually([&f] { return get(f, "/readyz").body["store"]["writable"] == true; }, 5s));
  auto bob = post(f, "/api/v1/clients", R"({"user_id": "2", "email": "bob"})");
  CHECK(bob.status == 201);
  CHECK(on_panel(f.fleet, bob.body.value("server_id", ""), "bob"));
  CHECK(patch(f, "/api/v1/clients/alice", R"({"total_gb": 7})").status == 200);
  CHECK(post(f, "/api/v1/servers/c/drain", "").status == 200);
  metrics = f.client().Get("/metrics");
  REQUIRE(metrics);
  CHECK_THAT(metrics->body, Catch::Contains("xui_fleet_store_writable 1"));
  // The outage is in the event log: store.unavailable, then store.recovered.
  auto events = get(f, "/api/v1/events?limit=1000");
  REQUIRE(events.status == 200);
  std::vector<std::string> types;
  for (const auto& e : events.body["events"])
    types.push_back(e.value("type", ""));
  auto down = std::find(types.begin(), types.end(), "store.unavailable");
  auto up = std::find(types.begin(), types.end(), "store.recovered");
  CHECK(down != types.end());
  CHECK(up != types.end());
  CHECK(down < up);
}

TEST_CASE("on a file system that turned read-only the API refuses mutations with the reason "
          "and goes on reading",
          "[read_only]") {
  const char* trigger = std::getenv("FLEET_FS_ERROR_TRIGGER");
  REQUIRE(trigger != nullptr); // run by full_disk_test.sh ext4, which mounts the file system
  api_fleet f;
  REQUIRE(
      post(f, "/api/v1/clients", R"({"user_id": "1", "email": "alice", "server_id": "b"})").status
      == 201);
  // What ext4 mounted with errors=remount-ro does on an error: it takes no write from then on.
  {
    std::ofstream error{trigger};
    error << "1\n";
  }
  auto adds = panel_adds(f.fleet);
  auto refused = post(f, "/api/v1/clients", R"({"user_id": "2", "email": "bob"})");
  CHECK(refused.status == 503);
  CHECK(code_of(refused) == "store_unavailable");
  CHECK_THAT(message_of(refused), Catch::Contains("is read-only; remount it read-write"));
  CHECK(patch(f, "/api/v1/clients/alice", R"({"total_gb": 7})").status == 503);
  CHECK(post(f, "/api/v1/servers/c/drain", "").status == 503);
  CHECK(panel_adds(f.fleet) == adds);
  for (const auto* id : {"a", "b", "c"})
    CHECK_FALSE(on_panel(f.fleet, id, "bob"));
  // The store does not close itself to reopen where nothing can be written: reads go on.
  std::this_thread::sleep_for(1500ms);
  CHECK(get(f, "/api/v1/clients/alice").status == 200);
  CHECK(post(f, "/api/v1/select", R"({"user_id": "42"})").status == 200);
  auto ready = get(f, "/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.body["store"]["writable"] == false);
  CHECK_THAT(ready.body["store"].value("reason", ""), Catch::Contains("read-only"));
}

} // namespace
} // namespace fleet::test
