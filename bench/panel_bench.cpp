// Status checks against many fake panels through one HTTP engine: checks per second, client
// CPU seconds per 1,000 checks, connections opened and threads used. fake-xui runs as a
// separate process, so the CPU figures are the client's alone. The baseline, in the same run,
// sends the same checks one at a time (what a blocking client without concurrency does).
// usage: panel_bench FAKE_XUI [PANELS] [ROUNDS]

#include "bench/fake_panels.hpp"
#include "bench/process_stats.hpp"
#include "common/panel/panel_client.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <vector>

using namespace fleet;
using bench_clock = std::chrono::steady_clock;

namespace {

/// Runs one status check on each client concurrently; returns failures.
int round_parallel(std::vector<std::unique_ptr<panel_client>>& clients) {
  std::atomic<int> pending{static_cast<int>(clients.size())};
  std::atomic<int> failures{0};
  std::promise<void> all;
  auto done = all.get_future();
  for (auto& c : clients)
    c->status([&](caf::expected<panel_status> s) {
      if (!s && failures++ == 0)
        std::fprintf(stderr, "first failure: %s\n", message_of(s.error()).c_str());
      if (--pending == 0)
        all.set_value();
    });
  done.wait();
  return failures.load();
}

int check_one(panel_client& c) {
  std::promise<bool> p;
  auto f = p.get_future();
  c.status([&](caf::expected<panel_status> s) { p.set_value(static_cast<bool>(s)); });
  return f.get() ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: panel_bench FAKE_XUI [PANELS] [ROUNDS]\n");
    return 2;
  }
  int panels = argc > 2 ? std::atoi(argv[2]) : 1000;
  int rounds = argc > 3 ? std::atoi(argv[3]) : 10;
  bench::fake_panels fake{argv[1], panels, "--profile classic-csrf --token bench-token-0123456789"};
  if (!fake.ok()) {
    std::fprintf(stderr, "cannot start fake-xui\n");
    return 1;
  }
  auto port = fake.port();

  http_engine engine{16};
  std::vector<std::unique_ptr<panel_client>> clients;
  for (int i = 1; i <= panels; ++i) {
    panel_endpoint ep;
    ep.base_url = "http://127.0.0.1:" + std::to_string(port) + "/p" + std::to_string(i) + "/";
    ep.api_token = "bench-token-0123456789";
    ep.timeout = std::chrono::seconds{10};
    clients.push_back(std::make_unique<panel_client>(engine, ep));
  }
  // Warm-up round: opens the connections.
  auto failures = round_parallel(clients);
  auto warm = engine.stats();

  auto cpu0 = bench::cpu_seconds();
  auto t0 = bench_clock::now();
  for (int r = 0; r < rounds; ++r)
    failures += round_parallel(clients);
  auto wall = std::chrono::duration<double>(bench_clock::now() - t0).count();
  auto cpu = bench::cpu_seconds() - cpu0;
  auto after = engine.stats();
  auto checks = static_cast<double>(after.requests - warm.requests);

  // Baseline: the same checks, one at a time, on the first 100 panels.
  int sequential = std::min(panels, 100);
  auto s0 = bench_clock::now();
  for (int i = 0; i < sequential; ++i)
    failures += check_one(*clients[static_cast<size_t>(i)]);
  auto seq_wall = std::chrono::duration<double>(bench_clock::now() - s0).count();
  auto seq_rate = sequential / seq_wall;

  std::printf("panel status checks: %d panels, %d rounds, one engine I/O thread\n", panels, rounds);
  std::printf("  checks                      %.0f (failures %d)\n", checks, failures);
  std::printf("  checks per second           %.0f\n", checks / wall);
  std::printf("  client CPU s per 1000 checks %.3f\n", cpu / checks * 1000.0);
  std::printf(
      "  connections opened          %llu in total, %llu after warm-up, for %.0f requests\n",
      static_cast<unsigned long long>(after.connections_opened),
      static_cast<unsigned long long>(after.connections_opened - warm.connections_opened),
      static_cast<double>(after.requests));
  std::printf("  process threads             %d\n",
              static_cast<int>(bench::proc_status("Threads")));
  std::printf("  baseline one-at-a-time      %.0f checks/s; concurrent/sequential = %.1fx\n",
              seq_rate, (checks / wall) / seq_rate);
  clients.clear();
  return failures == 0 ? 0 : 1;
}
