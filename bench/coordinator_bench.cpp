// Through the real coordinator actor, against fake-xui panels on loopback:
//   1. selections per second and latency with 1,000 healthy panels (sequential round trips,
//      and pipelined requests);
//   2. provisioning clients over 20 panels with 200 creates in flight, batched into few panel
//      calls vs one client per call, and the ratio.
// usage: coordinator_bench FAKE_XUI [SELECTIONS] [CLIENTS]

#include "bench/fake_panels.hpp"
#include "common/logging.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/runtime.hpp"

#include <caf/scoped_actor.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace fleet;
using namespace std::chrono_literals;
using bench_clock = std::chrono::steady_clock;

namespace {

fleet_config fleet_of(const bench::fake_panels& fake) {
  fleet_config config;
  config.servers = fake.servers("pw");
  for (size_t i = 0; i < config.servers.size(); ++i) {
    config.servers[i].max_clients = 1'000'000;
    config.servers[i].region = "R" + std::to_string((i + 1) % 5);
  }
  config.management.health_check_interval = 5000ms;
  config.management.health_check_timeout = 1000ms;
  config.management.retry_delay = 100ms;
  config.management.load_balance_threshold = 1.0;
  return config;
}

bool wait_healthy(runtime& rt, size_t n) {
  caf::scoped_actor self{rt.system()};
  for (int i = 0; i < 600; ++i) {
    size_t healthy = 0;
    self->request(rt.coordinator(), 5s, fleet_atom_v)
        .receive(
            [&](const std::vector<server_health>& list) {
              for (const auto& h : list)
                healthy += h.state == server_state::healthy ? 1 : 0;
            },
            [](caf::error& e) {
              std::fprintf(stderr, "  fleet request failed: %s\n", message_of(e).c_str());
            });
    if (healthy == n)
      return true;
    if (i % 20 == 0)
      std::fprintf(stderr, "  waiting: %zu of %zu panels healthy\n", healthy, n);
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

void bench_selection(const std::string& fake_binary, int selections) {
  constexpr int panels = 1000;
  bench::fake_panels fake{fake_binary, panels, "--password pw"};
  auto dir = std::filesystem::temp_directory_path() / "fleet-bench-select";
  std::filesystem::remove_all(dir);
  // The runtime outlives the scoped actor below: the actor system waits for every actor.
  runtime rt;
  if (auto err = rt.start(fleet_of(fake), dir.string()); err || !wait_healthy(rt, panels)) {
    std::printf("selection bench: the fleet did not come up\n");
    return;
  }
  caf::scoped_actor self{rt.system()};
  selection_criteria criteria;
  criteria.user_id = "12345";
  std::vector<double> latencies;
  int failures = 0;
  auto t0 = bench_clock::now();
  for (int i = 0; i < selections; ++i) {
    auto start = bench_clock::now();
    // No request timeout: in CAF 0.17 every timeout leaves a message behind in a blocking
    // actor's mailbox, which makes long request loops slower and slower.
    self->request(rt.coordinator(), caf::infinite, select_atom_v, criteria)
        .receive([](const selection&) {}, [&](caf::error&) { ++failures; });
    latencies.push_back(
        std::chrono::duration<double, std::micro>(bench_clock::now() - start).count());
  }
  auto sequential_s = std::chrono::duration<double>(bench_clock::now() - t0).count();
  // Pipelined: many callers at once, as behind an HTTP server.
  auto t1 = bench_clock::now();
  for (int i = 0; i < selections; ++i)
    self->send(rt.coordinator(), select_atom_v, criteria);
  for (int i = 0; i < selections; ++i)
    self->receive([](const selection&) {}, [&](caf::error&) { ++failures; });
  auto pipelined_s = std::chrono::duration<double>(bench_clock::now() - t1).count();
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double q) {
    return latencies[static_cast<size_t>(q * static_cast<double>(latencies.size() - 1))];
  };
  std::printf("selections through the coordinator actor, %d healthy panels, %d selections\n",
              panels, selections);
  std::printf("  sequential round trips   %8.0f /s   p50 %.1f us   p99 %.1f us   (failures %d)\n",
              selections / sequential_s, pct(0.5), pct(0.99), failures);
  std::printf("  pipelined                %8.0f /s\n", selections / pipelined_s);
  std::fflush(stdout);
}

/// Creates `clients` clients with `window` creates in flight and at most `max_batch` clients
/// per panel call; returns the seconds it took.
double provision(const std::string& fake_binary, int clients, int window, int64_t max_batch) {
  constexpr int panels = 20;
  bench::fake_panels fake{fake_binary, panels, "--password pw"};
  auto dir = std::filesystem::temp_directory_path() / "fleet-bench-provision";
  std::filesystem::remove_all(dir);
  runtime rt;
  auto config = fleet_of(fake);
  config.management.max_batch = max_batch;
  if (auto err = rt.start(config, dir.string()); err || !wait_healthy(rt, panels))
    return 0;
  caf::scoped_actor self{rt.system()};
  int sent = 0;
  int done = 0;
  int failures = 0;
  auto send_one = [&] {
    create_request req;
    req.user_id = std::to_string(1'000'000 + sent++);
    self->send(rt.coordinator(), create_atom_v, req);
  };
  auto t0 = bench_clock::now();
  while (sent < clients && sent < window)
    send_one();
  while (done < sent) {
    self->receive([](const client_record&) {},
                  [&](caf::error& e) {
                    if (failures++ == 0)
                      std::printf("  first failed create: %s\n", message_of(e).c_str());
                  });
    ++done;
    if (sent < clients)
      send_one();
  }
  auto seconds = std::chrono::duration<double>(bench_clock::now() - t0).count();
  if (failures > 0)
    std::printf("  (%d creates failed)\n", failures);
  return seconds;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: coordinator_bench FAKE_XUI [SELECTIONS] [CLIENTS]\n");
    return 2;
  }
  init_logging(std::getenv("FLEET_LOG") ? std::getenv("FLEET_LOG") : "error");
  std::string fake = argv[1];
  int selections = argc > 2 ? std::atoi(argv[2]) : 100'000;
  int clients = argc > 3 ? std::atoi(argv[3]) : 10'000;
  bench_selection(fake, selections);
  if (clients <= 0)
    return 0;
  // Same load (200 creates in flight over 20 panels) with and without batching.
  auto batched = provision(fake, clients, 200, 100);
  auto single = provision(fake, clients, 200, 1);
  std::printf("provisioning %d clients over 20 panels, 200 creates in flight (each synced to "
              "the store first)\n",
              clients);
  std::printf("  batched (up to 100 per call)  %8.0f clients/s  (%.1f s)\n", clients / batched,
              batched);
  std::printf("  one client per call           %8.0f clients/s  (%.1f s)\n", clients / single,
              single);
  std::printf("  batched / one per call        %.1fx\n", single / batched);
  return 0;
}
