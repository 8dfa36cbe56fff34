#include "coordinator/store/backups.hpp"
#include "coordinator/store/store.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

using namespace fleet;
using fleet::test::temp_dir;

namespace fs = std::filesystem;

namespace {

client_record client_named(const std::string& email, const std::string& server = "a") {
  client_record c;
  c.email = email;
  c.user_id = "7";
  c.uuid = "0d1c2b3a-4f5e-4a6b-9c8d-000000000001";
  c.sub_id = "sub-" + email;
  c.server_id = server;
  c.inbound_id = 1;
  c.total_gb = 20;
  c.created_at_ms = 1'795'000'000'000;
  return c;
}

std::unique_ptr<store> open_store(const std::string& dir) {
  auto s = store::open(dir);
  REQUIRE(s);
  return std::move(*s);
}

/// A store with a little of everything: servers, clients, an open intent, events, ledger
/// entries, a stale copy, a kept answer and hourly usage.
void fill(store& s) {
  for (const auto* id : {"a", "b"}) {
    server_record srv;
    srv.id = id;
    REQUIRE_FALSE(s.put_server(srv));
  }
  for (int i = 0; i < 20; ++i)
    REQUIRE_FALSE(s.put_client(client_named("u" + std::to_string(i), i % 2 == 0 ? "a" : "b")));
  intent_record open;
  open.kind = "create";
  open.email = "pending";
  open.server_id = "b";
  open.client = client_named("pending", "b");
  REQUIRE(s.begin_intent(open));
  std::vector<event_record> events(5);
  for (auto& e : events)
    e.type = "client.created";
  REQUIRE_FALSE(s.append_events(events));
  ledger_record l;
  l.server_id = "a";
  l.email = "u0";
  l.entry.used = {100, 200};
  REQUIRE_FALSE(s.write_round({l}, {{"u0", 1'795'000'000'000, {100, 200}}}, {}));
  stale_copy left;
  left.server_id = "b";
  left.email = "u0";
  left.moved_to = "a";
  REQUIRE_FALSE(s.put_stale(left));
  REQUIRE_FALSE(s.put_answer("key-1", {"digest", client_named("u1")}));
}

/// Fills a store in `dir`/data, backs it up into `dir`/backups and closes it; returns the
/// backup directory.
std::string backed_up_store(const temp_dir& dir) {
  auto backups = (dir.path() / "backups").string();
  auto s = open_store((dir.path() / "data").string());
  fill(*s);
  REQUIRE(s->back_up(backups, 0));
  return backups;
}

template <class Record>
std::vector<std::string> encoded(const caf::expected<std::vector<Record>>& xs) {
  REQUIRE(xs);
  std::vector<std::string> out;
  for (const auto& x : *xs)
    out.push_back(encode(x));
  return out;
}

/// Flips one byte in the middle of the largest table file a backup directory shares.
void damage_a_table_file(const fs::path& backups) {
  fs::path victim;
  for (const auto& f : fs::recursive_directory_iterator(backups))
    if (f.path().extension() == ".sst" && (victim.empty() || f.file_size() > fs::file_size(victim)))
      victim = f.path();
  REQUIRE_FALSE(victim.empty());
  std::fstream file{victim, std::ios::in | std::ios::out | std::ios::binary};
  auto middle = static_cast<std::streamoff>(fs::file_size(victim) / 2);
  file.seekg(middle);
  char c = 0;
  file.get(c);
  file.seekp(middle);
  file.put(static_cast<char>(~c));
}

} // namespace

TEST_CASE("backups: a backup restored elsewhere holds the same records", "[store][backup]") {
  temp_dir dir;
  auto data = (dir.path() / "data").string();
  auto backups = (dir.path() / "backups").string();
  auto s = open_store(data);
  fill(*s);
  auto taken = s->back_up(backups, 0);
  REQUIRE(taken);
  CHECK(taken->backup.id == 1);
  CHECK(taken->backup.size > 0);
  CHECK(taken->kept == 1);
  CHECK(taken->counts.servers == 2);
  CHECK(taken->counts.clients == 20);
  CHECK(taken->counts.intents == 1);
  CHECK(taken->counts.events == 5);
  CHECK(taken->counts.ledger == 1);
  CHECK(taken->counts.stale == 1);
  CHECK(taken->counts.answers == 1);
  // Writes after the backup are not in it.
  REQUIRE_FALSE(s->put_client(client_named("late")));

  auto restored_dir = (dir.path() / "restored").string();
  auto restored = restore_backup(backups, 0, restored_dir);
  REQUIRE(restored);
  CHECK(restored->id == 1);
  auto r = open_store(restored_dir);
  auto clients = r->clients();
  REQUIRE(clients);
  CHECK(clients->size() == 20);
  CHECK_FALSE(r->client("late")->has_value());
  REQUIRE_FALSE(s->erase_client("late"));
  CHECK(encoded(r->clients()) == encoded(s->clients()));
  CHECK(encoded(r->servers()) == encoded(s->servers()));
  CHECK(encoded(r->open_intents()) == encoded(s->open_intents()));
  CHECK(encoded(r->events_after(0, 100)) == encoded(s->events_after(0, 100)));
  CHECK(encoded(r->ledger()) == encoded(s->ledger()));
  CHECK(encoded(r->stale_copies()) == encoded(s->stale_copies()));
  auto hours = r->client_hours("u0", 0, INT64_MAX);
  REQUIRE(hours);
  CHECK(hours->size() == s->client_hours("u0", 0, INT64_MAX)->size());
  CHECK(r->answer("key-1")->has_value());
  // Numbering goes on where the backup left it.
  CHECK(r->last_event_seq() == 5);
  intent_record next;
  next.kind = "delete";
  next.email = "u1";
  CHECK(r->begin_intent(next).value() == 2);
}

TEST_CASE("backups: restoring keeps open intents open for the next start to resolve",
          "[store][backup]") {
  temp_dir dir;
  auto backups = backed_up_store(dir);
  auto target = (dir.path() / "restored").string();
  REQUIRE(restore_backup(backups, 0, target));
  auto checked = check_backup(backups, 0);
  REQUIRE(checked);
  CHECK(checked->counts.intents == 1);
  auto r = open_store(target);
  auto open = r->open_intents();
  REQUIRE(open);
  REQUIRE(open->size() == 1);
  CHECK(open->front().email == "pending");
  CHECK(open->front().kind == "create");
}

TEST_CASE("backups: a backup taken while writes go on is one point in time", "[store][backup]") {
  temp_dir dir;
  auto backups = (dir.path() / "backups").string();
  auto s = open_store((dir.path() / "data").string());
  std::atomic<bool> done{false};
  std::atomic<int> failed_writes{0};
  std::thread writer{[&] {
    for (int i = 0; !done; ++i) {
      std::vector<event_record> events(3);
      for (auto& e : events)
        e.type = "client.updated";
      if (s->append_events(events) || s->put_client(client_named("w" + std::to_string(i % 500))))
        ++failed_writes;
    }
  }};
  std::vector<backup_result> taken;
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{30});
    auto r = s->back_up(backups, 0);
    REQUIRE(r);
    taken.push_back(*r);
  }
  done = true;
  writer.join();
  CHECK(failed_writes == 0);
  for (const auto& t : taken) {
    INFO("backup " << t.backup.id);
    auto target = (dir.path() / ("restored-" + std::to_string(t.backup.id))).string();
    REQUIRE(restore_backup(backups, t.backup.id, target));
    auto r = open_store(target);
    auto events = r->events_after(0, 1'000'000);
    REQUIRE(events);
    // A prefix of the log: every event up to the newest, none missing, none torn.
    CHECK(events->size() % 3 == 0);
    CHECK(events->size() >= t.counts.events);
    for (size_t i = 0; i < events->size(); ++i)
      REQUIRE(events->at(i).seq == i + 1);
  }
  CHECK(taken.back().counts.events > taken.front().counts.events);
}

TEST_CASE("backups: keep deletes all but the newest backups", "[store][backup]") {
  temp_dir dir;
  auto backups = (dir.path() / "backups").string();
  auto s = open_store((dir.path() / "data").string());
  fill(*s);
  for (int i = 0; i < 3; ++i) {
    REQUIRE_FALSE(s->put_client(client_named("extra" + std::to_string(i))));
    auto r = s->back_up(backups, 2);
    REQUIRE(r);
    CHECK(r->backup.id == static_cast<uint32_t>(i + 1));
    CHECK(r->kept == std::min<size_t>(2, static_cast<size_t>(i + 1)));
  }
  auto all = list_backups(backups);
  REQUIRE(all);
  REQUIRE(all->size() == 2);
  CHECK(all->at(0).id == 2);
  CHECK(all->at(1).id == 3);
  CHECK(all->at(0).time_ms > 1'700'000'000'000);
  // The older backup still restores though it shares files with a deleted one.
  auto checked = check_backup(backups, 2);
  REQUIRE(checked);
  CHECK(checked->counts.clients == 22);
  CHECK(message_of(check_backup(backups, 1).error())
        == "backup: " + backups + " has no backup 1; its backups are 2 to 3");
}

TEST_CASE("backups: a damaged backup fails its check and its restore, naming the damage",
          "[store][backup]") {
  temp_dir dir;
  fs::path backups = backed_up_store(dir);
  REQUIRE(check_backup(backups.string(), 0));
  damage_a_table_file(backups);
  auto checked = check_backup(backups.string(), 0);
  REQUIRE_FALSE(checked);
  CHECK(code_of(checked.error()) == ec::io_error);
  CHECK_THAT(message_of(checked.error()),
             Catch::StartsWith("backup: backup 1 of " + backups.string() + " is damaged: ")
                 && Catch::Contains("checksum", Catch::CaseSensitive::No));
  auto target = dir.path() / "restored";
  auto restored = restore_backup(backups.string(), 0, target.string());
  REQUIRE_FALSE(restored);
  CHECK_THAT(message_of(restored.error()),
             Catch::StartsWith("backup: restoring backup 1 of " + backups.string() + ": "));
  // No half-restored store is left behind.
  CHECK_FALSE(fs::exists(target));
  for (const auto& f : fs::directory_iterator(dir.path()))
    CHECK_THAT(f.path().filename().string(), !Catch::Contains("restoring"));
}

TEST_CASE("backups: restore refuses a directory that is not empty and leaves it alone",
          "[store][backup]") {
  temp_dir dir;
  auto backups = backed_up_store(dir);
  auto occupied = dir.path() / "occupied";
  fs::create_directories(occupied);
  std::ofstream{occupied / "keep-me"} << "x";
  auto refused = restore_backup(backups, 0, occupied.string());
  REQUIRE_FALSE(refused);
  CHECK(code_of(refused.error()) == ec::conflict);
  CHECK(message_of(refused.error())
        == "backup: " + occupied.string()
               + " is not empty; restore into a new or empty directory (what is there is left "
                 "alone)");
  CHECK(fs::exists(occupied / "keep-me"));
  // An empty directory is fine, with or without a trailing separator.
  auto empty = dir.path() / "empty";
  fs::create_directories(empty);
  REQUIRE(restore_backup(backups, 0, empty.string() + "/"));
  CHECK(holds_store(empty.string()));
  CHECK(open_store(empty.string())->clients()->size() == 20);
}

TEST_CASE("backups: missing directories and backups are named", "[store][backup]") {
  temp_dir dir;
  auto nowhere = (dir.path() / "nowhere").string();
  auto missing = check_backup(nowhere, 0);
  REQUIRE_FALSE(missing);
  CHECK(code_of(missing.error()) == ec::not_found);
  CHECK(message_of(missing.error()) == "backup: there is no backup directory " + nowhere);
  auto empty = (dir.path() / "empty").string();
  fs::create_directories(empty);
  CHECK(message_of(check_backup(empty, 0).error()) == "backup: " + empty + " holds no backup");
  CHECK(message_of(restore_backup(empty, 0, (dir.path() / "x").string()).error())
        == "backup: " + empty + " holds no backup");
  CHECK_FALSE(holds_store(empty));
}

TEST_CASE("backups: a backup that cannot be written fails, naming the directory",
          "[store][backup]") {
  temp_dir dir;
  auto s = open_store((dir.path() / "data").string());
  fill(*s);
  std::ofstream{dir.path() / "a-file"} << "x";
  auto under_a_file = (dir.path() / "a-file" / "backups").string();
  auto r = s->back_up(under_a_file, 0);
  REQUIRE_FALSE(r);
  CHECK(code_of(r.error()) == ec::io_error);
  CHECK_THAT(message_of(r.error()),
             Catch::StartsWith("backup: cannot create backup dir " + under_a_file + ": "));
  // The store goes on working.
  CHECK_FALSE(s->put_client(client_named("after")));
  std::atomic<bool> stop{true};
  auto stopped = s->back_up((dir.path() / "backups").string(), 0, &stop);
  REQUIRE_FALSE(stopped);
  CHECK_THAT(message_of(stopped.error()), Catch::Contains("stopped"));
}
