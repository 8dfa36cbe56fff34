// Through the real coordinator actor, against fake-xui panels on loopback:
//   1. selections per second and latency with 1,000 healthy panels (sequential round trips,
//      and pipelined requests);
//   2. provisioning clients over 20 panels with 200 creates in flight, batched into few panel
//      calls vs one client per call, and the ratio.
// usage: coordinator_bench FAKE_XUI [SELECTIONS] [CLIENTS]

#include "bench/fake_panels.hpp"
#include "bench/selection_rounds.hpp"
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

void bench_selection(const std::string& fake_binary, int selections) {
  constexpr int panels = 1000;
  bench::fake_panels fake{fake_binary, panels, "--password pw"};
  auto dir = std::filesystem::temp_directory_path() / "fleet-bench-select";
  std::filesystem::remove_all(dir);
  // The runtime outlives the scoped actor below: the actor system waits for every actor.
  runtime rt;
  if (auto err = rt.start(fleet_of(fake), dir.string()); err || !bench::wait_healthy(rt, panels)) {
    std::printf("selection bench: the fleet did not come up\n");
    return;
  }
  auto f = bench::measure_selections(rt, selections);
  std::printf("selections through the coordinator actor, %d healthy panels, %d selections\n",
              panels, selections);
  std::printf("  sequential round trips   %8.0f /s   p50 %.1f us   p99 %.1f us   (failures %d)\n",
              f.sequential_per_s, f.p50_us, f.p99_us, f.failures);
  std::printf("  pipelined                %8.0f /s\n", f.pipelined_per_s);
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
  if (auto err = rt.start(config, dir.string()); err || !bench::wait_healthy(rt, panels))
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
