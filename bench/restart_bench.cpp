// A coordinator restart with 1,000 panels: how fast the whole fleet is healthy again, and how
// the new process's logins and first checks spread (no thundering herd). The coordinator runs
// in this process on a data dir on disk; the fake panels (cookie login) run in fake-xui. It
// starts the fleet, waits until every panel is healthy, stops the coordinator and starts it
// again on the same data dir, then polls the fleet every 20 ms until every panel is healthy
// again, by a check of the new process (until then it shows the states it stored). Prints the
// time to all healthy against twice the health interval, the logins the panels served during
// the restart (one per panel when nothing retries), and the first checks of the new process
// per 100 ms (their spread and the busiest 100 ms).
// usage: restart_bench FAKE_XUI [PANELS]

#include "bench/fake_control.hpp"
#include "bench/fake_panels.hpp"
#include "bench/process_stats.hpp"
#include "common/logging.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/runtime.hpp"

#include <caf/scoped_actor.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

using namespace fleet;
using namespace std::chrono_literals;
using bench_clock = std::chrono::steady_clock;

namespace {

constexpr auto interval = 5s;

std::vector<server_health> fleet_health(runtime& rt) {
  caf::scoped_actor self{rt.system()};
  std::vector<server_health> out;
  self->request(rt.coordinator(), caf::infinite, fleet_atom_v)
      .receive([&](std::vector<server_health>& list) { out = std::move(list); },
               [](caf::error&) {});
  return out;
}

/// Panels healthy by a check made at `since` or later (a restarted coordinator shows the
/// states it stored until its own checks have run).
size_t checked_healthy(const std::vector<server_health>& list, wall_time since) {
  return static_cast<size_t>(std::count_if(list.begin(), list.end(), [&](const server_health& h) {
    return h.state == server_state::healthy && h.last_check && *h.last_check >= since;
  }));
}

/// Polls until every one of `panels` is healthy by a check since `since`, or `limit` passes;
/// returns the seconds it took (or -1) and fills `first_check` with each panel's first check
/// after `since`.
double wait_all_healthy(runtime& rt, size_t panels, std::chrono::seconds limit, wall_time since,
                        std::map<std::string, wall_time>& first_check) {
  auto t0 = bench_clock::now();
  while (bench_clock::now() - t0 < limit) {
    auto list = fleet_health(rt);
    for (const auto& h : list)
      if (h.last_check && *h.last_check >= since && first_check.count(h.server_id) == 0)
        first_check[h.server_id] = *h.last_check;
    if (checked_healthy(list, since) == panels)
      return std::chrono::duration<double>(bench_clock::now() - t0).count();
    std::this_thread::sleep_for(20ms);
  }
  return -1;
}

int64_t logins_so_far(bench::fake_control& control, int panels) {
  int64_t sum = 0;
  for (int i = 1; i <= panels; ++i)
    sum += control.counters("p" + std::to_string(i))["POST login"];
  return sum;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: restart_bench FAKE_XUI [PANELS]\n");
    return 2;
  }
  init_logging(std::getenv("FLEET_LOG") ? std::getenv("FLEET_LOG") : "error");
  int panels = argc > 2 ? std::atoi(argv[2]) : 1000;
  bench::fake_panels fake{argv[1], panels, "--password pw"};
  if (!fake.ok()) {
    std::printf("restart bench: fake-xui did not start\n");
    return 1;
  }
  bench::fake_control control{fake.control_url()};
  fleet_config config;
  config.servers = fake.servers("pw");
  config.management.health_check_interval = interval;
  config.management.health_check_timeout = 2s;
  auto dir = std::filesystem::temp_directory_path() / "fleet-bench-restart";
  std::filesystem::remove_all(dir);
  auto n = static_cast<size_t>(panels);
  double cold_s = 0;
  {
    runtime rt;
    if (auto err = rt.start(config, dir.string())) {
      std::printf("restart bench: %s\n", message_of(err).c_str());
      return 1;
    }
    std::map<std::string, wall_time> ignored;
    cold_s = wait_all_healthy(rt, n, 60s, wall_time{}, ignored);
  }
  auto logins_before = logins_so_far(control, panels);
  auto restarted_at = std::chrono::system_clock::now();
  runtime rt;
  if (auto err = rt.start(config, dir.string())) {
    std::printf("restart bench: restarting: %s\n", message_of(err).c_str());
    return 1;
  }
  std::map<std::string, wall_time> first_check;
  auto warm_s = wait_all_healthy(rt, n, 60s, restarted_at, first_check);
  auto logins = logins_so_far(control, panels) - logins_before;

  std::map<int64_t, int> per_100ms;
  for (const auto& [id, at] : first_check)
    ++per_100ms[std::chrono::duration_cast<std::chrono::milliseconds>(at - restarted_at).count()
                / 100];
  int busiest = 0;
  for (const auto& [bucket, count] : per_100ms)
    busiest = std::max(busiest, count);
  auto spread_ms = per_100ms.empty() ? 0 : (per_100ms.rbegin()->first + 1) * 100;
  auto limit_s = 2.0 * std::chrono::duration<double>(interval).count();

  std::printf(
      "coordinator restart with %d fake panels (cookie login), health checks every %lld s\n",
      panels, static_cast<long long>(interval.count()));
  std::printf("  first start: all healthy after   %.2f s\n", cold_s);
  std::printf("  restart:     all healthy after   %.2f s   (target <= 2 x interval = %.0f s: %s)\n",
              warm_s, limit_s, warm_s >= 0 && warm_s <= limit_s ? "met" : "MISSED");
  std::printf("  logins the panels served         %lld for %d panels (one each when nothing "
              "retries)\n",
              static_cast<long long>(logins), panels);
  std::printf("  first checks of the new process  %zu, within the first %lld ms; at most %d in "
              "any 100 ms (%d panels at once would be a herd)\n",
              first_check.size(), static_cast<long long>(spread_ms), busiest, panels);
  return warm_s >= 0 && warm_s <= limit_s ? 0 : 1;
}
