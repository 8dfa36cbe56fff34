#include "coordinator/store/backup_worker.hpp"
#include "coordinator/store/store.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

using namespace fleet;
using namespace std::chrono_literals;
using fleet::test::temp_dir;

namespace {

std::unique_ptr<store> store_with_clients(const std::string& dir, int n) {
  auto s = store::open(dir);
  REQUIRE(s);
  for (int i = 0; i < n; ++i) {
    client_record c;
    c.email = "u" + std::to_string(i);
    c.server_id = "a";
    REQUIRE_FALSE((*s)->put_client(c));
  }
  return std::move(*s);
}

/// Asks `w` for a backup and waits for the answer.
caf::expected<backup_result> backup_now(backup_worker& w, const std::string& dir,
                                        std::optional<uint32_t> keep = std::nullopt) {
  std::promise<caf::expected<backup_result>> answer;
  w.request(dir, keep, [&](const caf::expected<backup_result>& r) { answer.set_value(r); });
  auto f = answer.get_future();
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  return f.get();
}

std::vector<event_record> events_of(const store& s, const std::string& type) {
  auto all = s.events_after(0, 1000);
  REQUIRE(all);
  std::vector<event_record> out;
  for (auto& e : *all)
    if (e.type == type)
      out.push_back(std::move(e));
  return out;
}

} // namespace

TEST_CASE("backup schedule: due at once without a backup, else every period after the newest",
          "[store][backup]") {
  const int64_t now = 1'800'000'000'000;
  const millis six_hours{6LL * 3600 * 1000};
  CHECK(backup_schedule{six_hours, std::nullopt, now}.due_ms() == now);
  // A restart an hour after the last backup waits the other five.
  CHECK(backup_schedule{six_hours, now - 3'600'000, now}.due_ms() == now + 5 * 3'600'000);
  // Overdue: at once.
  CHECK(backup_schedule{six_hours, now - 7 * 3'600'000, now}.due_ms() < now);
  // A newest backup in the future (the clock was set back) waits one period, not more.
  CHECK(backup_schedule{six_hours, now + 48 * 3'600'000LL, now}.due_ms()
        == now + six_hours.count());
  backup_schedule s{six_hours, std::nullopt, now};
  s.succeeded(now + 10);
  CHECK(s.due_ms() == now + 10 + six_hours.count());
  // A failure is retried sooner than a period, but never sooner than the period itself.
  s.failed(now + 20);
  CHECK(s.due_ms() == now + 20 + backup_schedule::retry_after.count());
  backup_schedule often{millis{2'000}, std::nullopt, now};
  often.failed(now);
  CHECK(often.due_ms() == now + 2'000);
}

TEST_CASE("backup worker: scheduled backups every second, keeping two", "[store][backup]") {
  temp_dir dir;
  auto s = store_with_clients((dir.path() / "data").string(), 10);
  auto feed = std::make_shared<event_feed>(s->last_event_seq());
  auto backups = (dir.path() / "backups").string();
  backup_worker w{*s, {backups, millis{1'000}, 2}, feed};
  CHECK(w.scheduled_dir() == backups);
  auto deadline = std::chrono::steady_clock::now() + 8s;
  uint32_t newest = 0;
  while (newest < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
    if (auto all = list_backups(backups); all && !all->empty())
      newest = all->back().id;
  }
  w.stop();
  REQUIRE(newest >= 3);
  auto all = list_backups(backups);
  REQUIRE(all);
  CHECK(all->size() == 2);
  auto events = events_of(*s, "store.backed_up");
  REQUIRE(events.size() >= 3);
  CHECK(events.front().data["scheduled"] == true);
  CHECK(events.front().data["backup_id"] == 1);
  CHECK(events.front().data["clients"] == 10);
  CHECK(events.front().data["dir"] == backups);
  // Readers of the log hear of them.
  bool woken = false;
  feed->on_after(0, [&] { woken = true; });
  CHECK(woken);
}

TEST_CASE("backup worker: a restart waits for the period since the newest backup",
          "[store][backup]") {
  temp_dir dir;
  auto s = store_with_clients((dir.path() / "data").string(), 1);
  auto backups = (dir.path() / "backups").string();
  REQUIRE(s->back_up(backups, 0));
  backup_worker w{*s, {backups, millis{3'600'000}, 7}, nullptr};
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (w.next_due_ms() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  CHECK(w.next_due_ms() > real_clock().wall_ms() + 3'000'000);
  CHECK(list_backups(backups)->size() == 1);
}

TEST_CASE("backup worker: backups on request are answered, and failures too", "[store][backup]") {
  temp_dir dir;
  auto s = store_with_clients((dir.path() / "data").string(), 3);
  backup_worker w{*s, {}, nullptr};
  CHECK(w.scheduled_dir().empty());
  auto elsewhere = (dir.path() / "elsewhere").string();
  auto first = backup_now(w, elsewhere);
  REQUIRE(first);
  CHECK(first->backup.id == 1);
  CHECK(first->counts.clients == 3);
  // Outside the schedule's directory, nothing is deleted unless asked.
  CHECK(backup_now(w, elsewhere)->kept == 2);
  CHECK(backup_now(w, elsewhere, 1)->kept == 1);
  std::ofstream{dir.path() / "a-file"} << "x";
  auto bad = (dir.path() / "a-file" / "sub").string();
  auto failed = backup_now(w, bad);
  REQUIRE_FALSE(failed);
  CHECK_THAT(message_of(failed.error()), Catch::StartsWith("backup: cannot create backup dir"));
  auto failures = events_of(*s, "store.backup_failed");
  REQUIRE(failures.size() == 1);
  CHECK(failures.front().data["dir"] == bad);
  CHECK(failures.front().data["scheduled"] == false);
  CHECK_THAT(failures.front().data["reason"].get<std::string>(),
             Catch::StartsWith("backup: cannot create backup dir"));
  // The worker goes on.
  CHECK(backup_now(w, elsewhere)->backup.id == 4);
}

TEST_CASE("backup worker: stopping answers every request still queued", "[store][backup]") {
  temp_dir dir;
  auto s = store_with_clients((dir.path() / "data").string(), 100);
  auto w = std::make_unique<backup_worker>(*s, backup_settings{}, nullptr);
  std::atomic<int> answered{0};
  for (int i = 0; i < 5; ++i)
    w->request((dir.path() / "b").string(), std::nullopt,
               [&](const caf::expected<backup_result>&) { ++answered; });
  w.reset();
  CHECK(answered == 5);
  // Once stopped, a request is answered at once.
  backup_worker stopped{*s, {}, nullptr};
  stopped.stop();
  bool refused = false;
  stopped.request((dir.path() / "b").string(), std::nullopt,
                  [&](const caf::expected<backup_result>& r) {
                    refused = !r && message_of(r.error()) == "backup: the coordinator is stopping";
                  });
  CHECK(refused);
}
