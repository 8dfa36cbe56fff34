// Health checking 1,000 fake panels at a 5 s interval through the real coordinator and its
// probe actors: CPU share of one core and resident memory of the coordinator process, next
// to the same process idle (actor system and HTTP engine running, no panels) as a baseline.
// The fake panels run in a process of their own, so their CPU is not counted.
// usage: health_bench FAKE_XUI [PANELS] [SECONDS]

#include "bench/fake_panels.hpp"
#include "bench/process_stats.hpp"
#include "common/logging.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/runtime.hpp"

#include <caf/scoped_actor.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/resource.h>
#include <thread>

using namespace fleet;
using namespace std::chrono_literals;
using bench_clock = std::chrono::steady_clock;

namespace {

/// A field of /proc/self/status in MiB ("VmRSS", "VmHWM").
double status_mib(const std::string& field) {
  return bench::proc_status(field) / 1024.0;
}

fleet_config fleet_of(const bench::fake_panels& fake) {
  fleet_config config;
  config.servers = fake.servers("pw");
  for (auto& s : config.servers)
    s.max_clients = 1000;
  config.management.health_check_interval = 5s;
  config.management.health_check_timeout = 2s;
  return config;
}

struct fleet_counts {
  size_t healthy = 0;
  int64_t errors = 0;
};

fleet_counts count(runtime& rt) {
  caf::scoped_actor self{rt.system()};
  fleet_counts out;
  self->request(rt.coordinator(), caf::infinite, fleet_atom_v)
      .receive(
          [&](const std::vector<server_health>& list) {
            for (const auto& h : list) {
              out.healthy += h.state == server_state::healthy ? 1 : 0;
              out.errors += h.error_count;
            }
          },
          [](caf::error&) {});
  return out;
}

/// CPU share of one core (percent) used by this process over `seconds`.
double cpu_share_over(double seconds) {
  auto c0 = bench::cpu_seconds();
  auto t0 = bench_clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  auto wall = std::chrono::duration<double>(bench_clock::now() - t0).count();
  return 100.0 * (bench::cpu_seconds() - c0) / wall;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: health_bench FAKE_XUI [PANELS] [SECONDS]\n");
    return 2;
  }
  init_logging(std::getenv("FLEET_LOG") ? std::getenv("FLEET_LOG") : "error");
  std::string fake_binary = argv[1];
  int panels = argc > 2 ? std::atoi(argv[2]) : 1000;
  double seconds = argc > 3 ? std::atof(argv[3]) : 30.0;
  auto dir = std::filesystem::temp_directory_path() / "fleet-bench-health";

  // Baseline: the same runtime with no panels.
  double idle_cpu = 0;
  double idle_rss = 0;
  {
    std::filesystem::remove_all(dir);
    runtime rt;
    if (auto err = rt.start(fleet_config{}, dir.string())) {
      std::printf("health bench: %s\n", message_of(err).c_str());
      return 1;
    }
    idle_cpu = cpu_share_over(std::min(seconds, 10.0));
    idle_rss = status_mib("VmRSS");
  }

  bench::fake_panels fake{fake_binary, panels, "--password pw"};
  if (!fake.ok()) {
    std::printf("health bench: fake-xui did not start\n");
    return 1;
  }
  std::filesystem::remove_all(dir);
  runtime rt;
  if (auto err = rt.start(fleet_of(fake), dir.string())) {
    std::printf("health bench: %s\n", message_of(err).c_str());
    return 1;
  }
  // First checks are spread over one interval; then a second interval to settle.
  std::this_thread::sleep_for(10s);
  auto before = count(rt);
  auto busy_cpu = cpu_share_over(seconds);
  auto after = count(rt);
  auto rss = status_mib("VmRSS");
  auto peak = status_mib("VmHWM");
  std::printf("health checking %d fake panels every 5 s (timeout 2 s), measured over %.0f s\n",
              panels, seconds);
  std::printf("  healthy panels           %zu of %d (failed checks during the run: %lld)\n",
              after.healthy, panels, static_cast<long long>(after.errors - before.errors));
  std::printf("  checks per second        %.0f expected (2 panel calls each)\n", panels / 5.0);
  std::printf("  CPU, share of one core   %.2f %%   (idle baseline %.2f %%, target <= 10 %%)\n",
              busy_cpu, idle_cpu);
  std::printf("  RSS                      %.1f MiB, peak %.1f MiB   (idle %.1f MiB, target <= "
              "100 MB)\n",
              rss, peak, idle_rss);
  return 0;
}
