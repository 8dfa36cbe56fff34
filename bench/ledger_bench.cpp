// The traffic ledger's cost per sample round (issue 14), next to the health checks without
// the ledger, in one run. Every panel answers its check with the inbound list a classic
// 3X-UI panel sends (bench/inbound_texts.hpp); the check (envelope, parse_inbounds,
// summarise_inbounds, on a thread of its own as on the HTTP engine's) is what the fleet pays
// without the ledger; the ledger is what
// `coordinator_state::charge` adds: charge_counters over a client_book holding every client
// and a traffic_ledger, then store::write_round into a real store in a temporary directory.
// Rounds: first sight (every client charged), ROUNDS rounds where every client's counters
// grew, ROUNDS rounds where 10% grew; 30 s of read time between rounds. After each round the
// bench waits for RocksDB's flushes and compactions and counts their CPU to the ledger.
// Fails when what the ledger and the hourly buckets hold is not exactly what was injected.
// usage: ledger_bench [PANELS] [CLIENTS] [ROUNDS] [FAKE_XUI]

#include "bench/inbound_texts.hpp"
#include "bench/io_stats.hpp"
#include "bench/ledger_figures.hpp"
#include "bench/loopback_check.hpp"
#include "bench/process_stats.hpp"
#include "bench/traffic_model.hpp"
#include "bench/worker_thread.hpp"
#include "common/panel/panel_check.hpp"
#include "common/panel/xui_adapter.hpp"
#include "coordinator/ledger/sample_round.hpp"
#include "coordinator/store/store.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <malloc.h>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace fleet;
using bench::fleet_model;
using bench::round_figures;

namespace {

constexpr int64_t interval_ms = 30'000;

/// One passed check of panel `server_id` without the ledger: the panel's answer read as the
/// panel client reads it (`read_inbounds`), and its counters summarised into a report.
health_report check(const http_response& answer, const std::string& server_id, int64_t now_ms) {
  health_report r;
  r.server_id = server_id;
  r.checked_at_ms = now_ms;
  auto list = classic_adapter().read_inbounds(answer);
  if (!list)
    return r;
  r.verdict = check_verdict::passed;
  summarise_inbounds(*list, now_ms, r);
  return r;
}

/// Bytes of the keys and values `write_round` puts into its batch.
int64_t logical_bytes(const sample_round& s) {
  int64_t out = 0;
  for (const auto& e : s.entries)
    out += static_cast<int64_t>(e.email.size() + 1 + e.server_id.size() + encode(e).size());
  for (const auto& b : s.client_hours)
    out += static_cast<int64_t>(b.owner.size() + 9 + 16);
  if (s.server_hour.bytes.total() > 0)
    out += static_cast<int64_t>(s.server_hour.owner.size() + 9 + 16);
  return out;
}

/// Waits until RocksDB's background threads (everything but this thread, which only waits for
/// the others) stay idle for 300 ms, at most 60 s.
void settle() {
  auto others = [] { return bench::process_cpu() - bench::thread_cpu(); };
  auto last = others();
  int idle = 0;
  for (int i = 0; i < 600 && idle < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    auto now = others();
    idle = now - last < 0.002 ? idle + 1 : 0;
    last = now;
  }
}

struct bench_state {
  fleet_model fleet;
  client_book book;
  traffic_ledger ledger{1'250'000'000}; // the coordinator's: 10 Gbit/s
  /// One per panel, as the coordinator keeps them.
  std::vector<panel_roster> rosters;
  std::unique_ptr<store> db;
  /// Where the checks run: the coordinator parses on the HTTP engine's thread, not the
  /// ledger's.
  bench::worker_thread checker;
  int failures = 0;

  void fail(const std::string& what) {
    if (failures++ < 5)
      std::printf("  FAILED: %s\n", what.c_str());
  }

  /// One sample round over every panel, read at `read_at`; `grown` clients grew.
  round_figures run(const char* kind, int64_t read_at, int64_t grown) {
    round_figures out;
    out.kind = kind;
    out.grown = grown;
    auto io0 = bench::read_io();
    auto process0 = bench::process_cpu();
    auto thread0 = bench::thread_cpu();
    auto checker0 = checker.cpu_seconds();
    double ledger_wall = 0;
    for (int p = 1; p <= fleet.panels; ++p) {
      auto id = std::to_string(p);
      health_report report;
      // The answer arrives, and is checked, on the engine's thread.
      checker.run([&] {
        auto g0 = bench::thread_cpu();
        http_response answer;
        answer.status = 200;
        answer.body = bench::inbound_list_text(fleet.contents(p));
        out.answer_bytes += static_cast<int64_t>(answer.body.size());
        auto t0 = bench::thread_cpu();
        out.generate_s += t0 - g0;
        report = check(answer, id, read_at);
        out.check_s += bench::thread_cpu() - t0;
      });
      auto t1 = bench::thread_cpu();
      auto w1 = std::chrono::steady_clock::now();
      auto s = charge_counters(ledger, book, rosters[static_cast<size_t>(p - 1)], report.server_id,
                               report.counters, report.checked_at_ms, read_at);
      auto t2 = bench::thread_cpu();
      // As coordinator_state::charge writes it.
      if (!s.entries.empty()) {
        std::vector<usage_bucket> server_hours;
        if (s.server_hour.bytes.total() > 0)
          server_hours.push_back(s.server_hour);
        if (auto err = db->write_round(s.entries, s.client_hours, server_hours))
          fail("write_round: " + message_of(err));
      }
      auto t3 = bench::thread_cpu();
      ledger_wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - w1).count();
      out.charge_s += t2 - t1;
      out.write_s += t3 - t2;
      out.entries += static_cast<int64_t>(s.entries.size());
      out.logical_bytes += logical_bytes(s);
      if (report.verdict != check_verdict::passed
          || report.counters.size() != static_cast<size_t>(fleet.clients))
        fail("the check of panel " + id + " read " + std::to_string(report.counters.size())
             + " clients");
      if (s.foreign != 0 || !s.to_amend.empty() || !s.changes.empty() || !s.suspicious.empty()
          || s.new_baselines != 0)
        fail("panel " + id + ": foreign, amended, limited, suspicious or new baselines");
    }
    settle();
    out.background_s = (bench::process_cpu() - process0) - (bench::thread_cpu() - thread0)
                       - (checker.cpu_seconds() - checker0);
    out.io = bench::read_io() - io0;
    out.ledger_wall_s = ledger_wall;
    if (out.entries != grown)
      fail(std::string{kind} + ": " + std::to_string(out.entries) + " entries written for "
           + std::to_string(grown) + " clients grown");
    return out;
  }

  /// What the ledger, the stored ledger and the hourly buckets hold against what was injected.
  void verify(const std::filesystem::path& dir, int64_t from_ms, int64_t to_ms) {
    byte_counts injected;
    for (const auto& b : fleet.injected) {
      injected.up += b.up;
      injected.down += b.down;
    }
    byte_counts in_ledger;
    byte_counts in_hours;
    for (int p = 1; p <= fleet.panels; ++p)
      for (int i = 0; i < fleet.clients; ++i) {
        auto email = bench::email_of(p, i);
        auto u = ledger.usage(email).total;
        in_ledger.up += u.up;
        in_ledger.down += u.down;
        auto hours = db->client_hours(email, from_ms, to_ms);
        if (!hours) {
          fail("hourly usage of " + email + ": " + message_of(hours.error()));
          continue;
        }
        ledger.add_open_hours(email, from_ms, to_ms, *hours);
        for (const auto& h : *hours) {
          in_hours.up += h.bytes.up;
          in_hours.down += h.bytes.down;
        }
      }
    auto same = [](const byte_counts& x, const byte_counts& y) {
      return x.up == y.up && x.down == y.down;
    };
    std::printf("  injected bytes           up %lld, down %lld\n",
                static_cast<long long>(injected.up), static_cast<long long>(injected.down));
    if (!same(in_ledger, injected))
      fail("fleet usage in the ledger differs from the injected bytes");
    if (!same(in_hours, injected))
      fail("the clients' hourly buckets differ from the injected bytes");
    for (int p = 1; p <= fleet.panels; ++p) {
      byte_counts sum;
      auto hours = db->server_hours(std::to_string(p), from_ms, to_ms);
      for (const auto& h : hours ? *hours : std::vector<usage_bucket>{}) {
        sum.up += h.bytes.up;
        sum.down += h.bytes.down;
      }
      if (!same(sum, fleet.injected[static_cast<size_t>(p - 1)]))
        fail("the hourly buckets of server " + std::to_string(p) + " differ from its bytes");
    }
    // Unchanged counters are not written, so a stored entry may have been read earlier.
    auto stored = db->ledger();
    size_t equal = 0;
    for (const auto& r : stored ? *stored : std::vector<ledger_record>{}) {
      const auto* e = ledger.find(r.server_id, r.email);
      equal += e != nullptr && same(e->last, r.entry.last) && same(e->used, r.entry.used)
                       && same(e->carried, r.entry.carried) && e->read_at_ms >= r.entry.read_at_ms
                       && e->hour_ms == r.entry.hour_ms && same(e->hour_bytes, r.entry.hour_bytes)
                   ? 1U
                   : 0U;
    }
    if (equal != ledger.size())
      fail("the stored ledger differs from the one in memory (" + std::to_string(equal) + " of "
           + std::to_string(ledger.size()) + " entries equal)");
    std::printf("  sanity checks            %s (ledger, stored ledger, client and server hours; "
                "data dir %s)\n",
                failures == 0 ? "passed" : "FAILED", dir.c_str());
  }
};

/// The 1-minute load average, as /proc/loadavg gives it.
std::string load_average() {
  std::ifstream in{"/proc/loadavg"};
  std::string out;
  in >> out;
  return out;
}

double rss_mib() {
  return bench::proc_status("VmRSS") / 1024.0;
}

} // namespace

int main(int argc, char** argv) {
  int panels = argc > 1 ? std::atoi(argv[1]) : 1000;
  int clients = argc > 2 ? std::atoi(argv[2]) : 1000;
  int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
  if (panels < 1 || clients < 1 || rounds < 1) {
    std::fprintf(stderr, "usage: ledger_bench [PANELS] [CLIENTS] [ROUNDS] [FAKE_XUI]\n");
    return 2;
  }
  auto dir
      = std::filesystem::temp_directory_path() / ("fleet-bench-ledger-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  bench_state b;
  auto& fleet = b.fleet;
  auto start_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  auto load_start = load_average();
  fleet.panels = panels;
  fleet.clients = clients;
  fleet.created_ms = start_ms - 86'400'000;
  fleet.total_bytes = bytes_of_gb(100);
  fleet.expiry_ms = start_ms + 30 * 86'400'000LL;
  fleet.first_sight();
  b.rosters.resize(static_cast<size_t>(panels));
  auto opened = store::open(dir.string());
  if (!opened) {
    std::printf("ledger bench: %s\n", message_of(opened.error()).c_str());
    return 1;
  }
  b.db = std::move(*opened);

  // Memory: the book as the coordinator restores it, then the ledger the rounds fill.
  malloc_trim(0);
  auto rss_before = rss_mib();
  for (int p = 1; p <= panels; ++p)
    for (int i = 0; i < clients; ++i)
      b.book.put(bench::email_of(p, i),
                 booked_client{std::to_string(p), client_terms{fleet.total_bytes, fleet.expiry_ms},
                               true, limit_reason::none});
  malloc_trim(0);
  auto rss_book = rss_mib();

  std::vector<round_figures> figures;
  auto total = static_cast<int64_t>(panels) * clients;
  int64_t read_at = start_ms;
  figures.push_back(b.run("first sight", read_at, total));
  for (int r = 1; r <= 2 * rounds; ++r) {
    read_at += interval_ms;
    bool all = r <= rounds;
    auto grown = fleet.grow_some(r, all ? 1 : 10);
    figures.push_back(b.run(all ? "100% grew" : "10% grew", read_at, grown));
  }
  auto load_rounds = load_average();
  auto rss_peak = bench::proc_status("VmHWM") / 1024.0;
  auto rss_rounds = rss_mib();
  auto dir_open = bench::dir_bytes(dir);
  auto wal_open = bench::dir_bytes(dir, ".log");

  // Closing and opening again replays the WAL into table files: the data dir "flushed".
  auto io_reopen0 = bench::read_io();
  auto reopen0 = std::chrono::steady_clock::now();
  b.db.reset();
  malloc_trim(0);
  auto rss_closed = rss_mib();
  opened = store::open(dir.string());
  if (!opened) {
    std::printf("ledger bench: reopening: %s\n", message_of(opened.error()).c_str());
    return 1;
  }
  b.db = std::move(*opened);
  auto reopen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - reopen0).count();
  settle();
  auto reopen_io = bench::read_io() - io_reopen0;

  bench::print_rounds(panels, clients, rounds, figures);
  std::printf("  (machine load average %s at the start, %s after the rounds: other processes on "
              "the same cores slow this one's CPU time down too)\n",
              load_start.c_str(), load_rounds.c_str());
  bench::memory_figures m;
  m.clients = total;
  m.before = rss_before;
  m.book = rss_book;
  m.after_rounds = rss_rounds;
  m.peak = rss_peak;
  m.store_closed = rss_closed;
  bench::print_memory(m);
  bench::disk_figures d;
  d.dir_open = dir_open;
  d.wal_open = wal_open;
  d.dir_flushed = bench::dir_bytes(dir);
  d.sst = bench::read_event_log(dir);
  d.reopen_s = reopen_s;
  d.reopen_io = reopen_io;
  bench::print_disk(figures, d);
  if (argc > 4) {
    auto http = bench::loopback_checks(argv[4], clients, 20);
    // The same in-memory check, on the checks' thread and on the thread holding the ledger.
    constexpr int checks = 20;
    http_response answer;
    answer.status = 200;
    answer.body = bench::inbound_list_text(fleet.contents(1));
    auto time_checks = [&] {
      auto t0 = bench::thread_cpu();
      for (int i = 0; i < checks; ++i)
        static_cast<void>(check(answer, "1", read_at));
      return (bench::thread_cpu() - t0) * 1e3 / checks;
    };
    double in_memory_ms = 0;
    b.checker.run([&] { in_memory_ms = time_checks(); });
    auto beside_ledger_ms = time_checks();
    bench::print_loopback(http, in_memory_ms, beside_ledger_ms, clients, panels);
    if (!http.error.empty())
      b.fail("loopback checks: " + http.error);
  }
  std::printf("\n");
  bench::print_summary(panels, clients, figures);
  b.verify(dir, start_ms - 3'600'000, read_at + 3'600'000);
  b.db.reset();
  std::filesystem::remove_all(dir);
  return b.failures == 0 ? 0 : 1;
}
