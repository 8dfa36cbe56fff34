// Evacuating a dead panel through the real coordinator actor, against fake-xui panels on
// loopback: CLIENTS clients on panel 1 of 10; panel 1 goes down, the nine others answer
// every call after LATENCY_MS; the operator evacuates panel 1. Prints clients moved per
// second, the total time and the panel calls the move took (fake-xui's counters, beyond
// health checks), then the cleanup when panel 1 comes back (also slow): the copies left on
// it are deleted. The baseline, in the same run and against the same slow panels, is what a
// 3x-ui bot does: one addClient call per client, one at a time (over the first SEQUENTIAL
// clients) and with as many calls in flight as the evacuation writes to panels at once.
// usage: evacuation_bench FAKE_XUI [CLIENTS] [LATENCY_MS] [SEQUENTIAL]

#include "bench/bot_placement.hpp"
#include "bench/fake_control.hpp"
#include "bench/fake_panels.hpp"
#include "bench/process_stats.hpp"
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
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace fleet;
using namespace std::chrono_literals;
using bench_clock = std::chrono::steady_clock;

namespace {

constexpr int panels = 10;
const std::string source = "1";

double seconds_since(bench_clock::time_point t0) {
  return std::chrono::duration<double>(bench_clock::now() - t0).count();
}

fleet_config fleet_of(const bench::fake_panels& fake) {
  fleet_config config;
  config.servers = fake.servers("pw");
  for (auto& s : config.servers)
    s.max_clients = 1'000'000;
  config.management.health_check_interval = 1000ms;
  config.management.health_check_timeout = 1000ms;
  config.management.retry_delay = 100ms;
  return config;
}

/// Creates `clients` clients pinned to `server_id`, 200 creates in flight; returns failures.
int create_on(runtime& rt, const std::string& server_id, int clients) {
  caf::scoped_actor self{rt.system()};
  int sent = 0;
  int failures = 0;
  auto send_one = [&] {
    create_request req;
    req.user_id = std::to_string(1'000'000 + sent++);
    req.server_id = server_id;
    self->send(rt.coordinator(), create_atom_v, req);
  };
  while (sent < clients && sent < 200)
    send_one();
  for (int done = 0; done < sent; ++done) {
    self->receive([](const client_record&) {},
                  [&](caf::error& e) {
                    if (failures++ == 0)
                      std::printf("  first failed create: %s\n", message_of(e).c_str());
                  });
    if (sent < clients)
      send_one();
  }
  return failures;
}

/// Polls `done` every 10 ms for at most `limit`; false on timeout.
bool wait_until(const std::function<bool()>& done, std::chrono::seconds limit) {
  auto t0 = bench_clock::now();
  while (!done()) {
    if (bench_clock::now() - t0 > limit)
      return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

server_state state_of(runtime& rt, const std::string& id) {
  caf::scoped_actor self{rt.system()};
  auto out = server_state::unknown;
  self->request(rt.coordinator(), caf::infinite, fleet_atom_v)
      .receive(
          [&](const std::vector<server_health>& list) {
            for (const auto& h : list)
              if (h.server_id == id)
                out = h.state;
          },
          [](caf::error&) {});
  return out;
}

evacuation_status evacuation_of(runtime& rt, const std::string& id) {
  caf::scoped_actor self{rt.system()};
  evacuation_status out;
  self->request(rt.coordinator(), caf::infinite, evacuate_atom_v, id, get_atom_v)
      .receive([&](const evacuation_status& s) { out = s; },
               [](caf::error& e) { std::printf("  status: %s\n", message_of(e).c_str()); });
  return out;
}

/// The coordinator's metrics of `family` by series ("name{labels}" -> value).
std::map<std::string, double> metric_values(runtime& rt, const std::string& family) {
  caf::scoped_actor self{rt.system()};
  std::map<std::string, double> out;
  self->request(rt.coordinator(), caf::infinite, metrics_atom_v)
      .receive(
          [&](const std::string& text) {
            std::istringstream in{text};
            std::string line;
            while (std::getline(in, line))
              if (line.rfind(family, 0) == 0)
                if (auto space = line.rfind(' '); space != std::string::npos)
                  out[line.substr(0, space)] = std::atof(line.c_str() + space + 1);
          },
          [](caf::error&) {});
  return out;
}

/// Prints how much each series of `family` grew since `before`.
void print_growth(runtime& rt, const std::string& family,
                  const std::map<std::string, double>& before) {
  for (const auto& [series, value] : metric_values(rt, family)) {
    auto b = before.find(series);
    auto grown = value - (b == before.end() ? 0.0 : b->second);
    if (grown != 0.0)
      std::printf("      %-70s +%.0f\n", series.c_str(), grown);
  }
}

/// Counters of panels `first`..`last` (names p1..p10), summed per route.
bench::route_counts sum_counters(bench::fake_control& control, int first, int last) {
  bench::route_counts out;
  for (int i = first; i <= last; ++i)
    for (const auto& [key, n] : control.counters("p" + std::to_string(i)))
      out[key] += n;
  return out;
}

int64_t count_of(const bench::route_counts& c, const std::string& fragment) {
  int64_t n = 0;
  for (const auto& [key, v] : c)
    if (key.find(fragment) != std::string::npos)
      n += v;
  return n;
}

/// "addClient 100, inbound lists 9 (beyond the 27 checks), logins 0".
std::string calls_line(const bench::route_counts& c, const char* writes, const char* what) {
  auto checks = count_of(c, "server/status");
  std::ostringstream out;
  out << what << ' ' << count_of(c, writes) << ", inbound lists "
      << count_of(c, "inbounds/list") - checks << " (beyond the " << checks
      << " health checks), logins " << count_of(c, "login");
  return out.str();
}

/// Evacuates `source` (down) and prints what it took; returns clients moved per second, or 0
/// when the evacuation did not finish.
double move_clients(runtime& rt, bench::fake_control& control,
                    const std::map<std::string, int64_t>& seeded) {
  auto before = sum_counters(control, 2, panels);
  auto moved_before = metric_values(rt, "xui_fleet_evacuated_clients_total");
  auto calls_before = metric_values(rt, "xui_fleet_panel_calls_total");
  auto cpu0 = bench::cpu_seconds();
  auto t0 = bench_clock::now();
  {
    caf::scoped_actor self{rt.system()};
    self->request(rt.coordinator(), caf::infinite, evacuate_atom_v, source)
        .receive([](const evacuation_status&) {},
                 [](caf::error& e) { std::printf("  evacuate: %s\n", message_of(e).c_str()); });
  }
  auto finished = wait_until(
      [&] {
        auto s = evacuation_of(rt, source);
        return s.state == evacuation_state::finished && s.pending == 0;
      },
      1200s);
  auto seconds = seconds_since(t0);
  auto cpu = bench::cpu_seconds() - cpu0;
  auto status = evacuation_of(rt, source);
  auto calls = bench::counted_between(before, sum_counters(control, 2, panels));
  auto landed = control.client_counts();
  int64_t on_destinations = 0;
  std::string spread;
  for (int i = 2; i <= panels; ++i) {
    auto name = "p" + std::to_string(i);
    auto n = landed[name] - seeded.at(name);
    on_destinations += n;
    spread += (spread.empty() ? "" : " ") + std::to_string(n);
  }
  auto rate = static_cast<double>(status.moved) / seconds;
  std::printf("  evacuation%s            %8.0f clients/s   %6.2f s   moved %lld, new on the 9 "
              "panels %lld, copies left on panel 1: %lld\n",
              finished ? "" : " (UNFINISHED)", rate, seconds, static_cast<long long>(status.moved),
              static_cast<long long>(on_destinations), static_cast<long long>(status.stale_copies));
  if (!status.last_error.empty())
    std::printf("    last error: %s\n", status.last_error.c_str());
  std::printf("    new clients on panels 2..%d: %s\n", panels, spread.c_str());
  auto adds = count_of(calls, "addClient");
  std::printf("    panel calls: %s; %.1f clients per addClient\n",
              calls_line(calls, "addClient", "addClient").c_str(),
              adds > 0 ? static_cast<double>(status.moved) / static_cast<double>(adds) : 0.0);
  std::printf("    coordinator CPU %.2f s (%.0f %% of one core); its metrics grew by:\n", cpu,
              100.0 * cpu / seconds);
  print_growth(rt, "xui_fleet_evacuated_clients_total", moved_before);
  print_growth(rt, "xui_fleet_panel_calls_total", calls_before);
  std::fflush(stdout);
  return finished ? rate : 0.0;
}

/// Brings `source` back, answering after `latency` ms, and prints how long deleting the
/// copies left on it took; false when they were not all deleted.
bool clean_up(runtime& rt, bench::fake_control& control, int64_t latency,
              const std::map<std::string, int64_t>& seeded) {
  auto before = control.counters("p1");
  auto calls_before = metric_values(rt, "xui_fleet_panel_calls_total");
  auto stale = evacuation_of(rt, source).stale_copies;
  auto t0 = bench_clock::now();
  control.set_fault("p1", "slow", latency);
  double first_s = -1;
  auto cleaned = wait_until(
      [&] {
        auto left = evacuation_of(rt, source).stale_copies;
        if (first_s < 0 && left < stale)
          first_s = seconds_since(t0);
        return left == 0;
      },
      1800s);
  auto seconds = seconds_since(t0);
  auto calls = bench::counted_between(before, control.counters("p1"));
  std::printf("  cleanup on panel 1's return%s: %lld copies; first batch deleted after %.2f s "
              "(waits for a passed check), all after %.2f s (%.0f copies/s after the first)\n",
              cleaned ? "" : " (UNFINISHED)", static_cast<long long>(stale), first_s, seconds,
              seconds > first_s ? static_cast<double>(stale) / (seconds - first_s) : 0.0);
  std::printf("    panel calls: %s; fleet clients left on panel 1: %lld\n",
              calls_line(calls, "delClient", "delClient").c_str(),
              static_cast<long long>(control.client_counts()["p1"] - seeded.at("p1")));
  std::printf("    coordinator metrics grew by:\n");
  print_growth(rt, "xui_fleet_panel_calls_total", calls_before);
  std::fflush(stdout);
  return cleaned;
}

/// The bot's way, to the same nine slow panels: `sequential` clients one call at a time,
/// then `clients` with `in_flight` calls at once. Prints both and their ratio to
/// `evacuation_rate`; false when an add failed.
bool bot_baseline(bench::fake_control& control, const std::vector<server_config>& destinations,
                  int sequential, int clients, int in_flight, double evacuation_rate) {
  std::mt19937_64 rng{42};
  auto before = sum_counters(control, 2, panels);
  auto one = bench::bot_adds(destinations, sequential, 1, "bot-seq-", rng);
  auto many = bench::bot_adds(destinations, clients, in_flight, "bot-par-", rng);
  auto calls = bench::counted_between(before, sum_counters(control, 2, panels));
  for (const auto* b : {&one, &many})
    if (b->failures > 0)
      std::printf("  bot: %d adds failed, first: %s\n", b->failures, b->first_error.c_str());
  auto one_rate = sequential / one.seconds;
  auto many_rate = clients / many.seconds;
  std::printf("  bot, 1 addClient per client, 1 in flight  %8.1f clients/s   %6.2f s for %d "
              "(%d would take %.0f s)\n",
              one_rate, one.seconds, sequential, clients, clients / one_rate);
  std::printf("  bot, 1 addClient per client, %d in flight  %8.1f clients/s   %6.2f s for %d\n",
              in_flight, many_rate, many.seconds, clients);
  std::printf("    panel calls: addClient %lld for %d clients\n",
              static_cast<long long>(count_of(calls, "addClient")), sequential + clients);
  std::printf("  evacuation / bot 1 in flight        %6.1fx\n", evacuation_rate / one_rate);
  std::printf("  evacuation / bot %d in flight        %6.1fx\n", in_flight,
              evacuation_rate / many_rate);
  return one.failures == 0 && many.failures == 0;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: evacuation_bench FAKE_XUI [CLIENTS] [LATENCY_MS] [SEQUENTIAL]\n");
    return 2;
  }
  init_logging(std::getenv("FLEET_LOG") ? std::getenv("FLEET_LOG") : "error");
  int clients = argc > 2 ? std::atoi(argv[2]) : 5000;
  int64_t latency = argc > 3 ? std::atoll(argv[3]) : 50;
  int sequential = std::min(clients, argc > 4 ? std::atoi(argv[4]) : 1000);
  bench::fake_panels fake{bench::own_ports, argv[1], panels, "password=pw"};
  if (!fake.ok()) {
    std::printf("evacuation bench: fake-xui did not start\n");
    return 1;
  }
  bench::fake_control control{fake.control_url()};
  auto dir = std::filesystem::temp_directory_path() / "fleet-bench-evacuation";
  std::filesystem::remove_all(dir);
  auto config = fleet_of(fake);
  const auto& m = config.management;
  runtime rt;
  if (auto err = rt.start(config, dir.string()); err || !bench::wait_healthy(rt, panels)) {
    std::printf("evacuation bench: the fleet did not come up\n");
    return 1;
  }
  // fake-xui seeds a few clients of its own on every panel: counts below are differences.
  auto seeded = control.client_counts();
  auto t_create = bench_clock::now();
  if (create_on(rt, source, clients) > 0)
    return 1;
  std::printf("evacuating %d clients from panel 1 (down) to %d panels answering after %lld ms; "
              "batch %lld clients, %lld panels at once; checks every %lld ms\n",
              clients, panels - 1, static_cast<long long>(latency),
              static_cast<long long>(m.evacuation_batch),
              static_cast<long long>(m.evacuation_parallel_panels),
              static_cast<long long>(m.health_check_interval.count()));
  std::printf("  (set-up: %d clients created on panel 1 in %.1f s, no latency)\n", clients,
              seconds_since(t_create));
  for (int i = 2; i <= panels; ++i)
    control.set_fault("p" + std::to_string(i), "slow", latency);
  control.set_fault("p1", "down");
  if (!wait_until([&] { return state_of(rt, source) == server_state::unhealthy; }, 60s)) {
    std::printf("evacuation bench: panel 1 is not seen down\n");
    return 1;
  }
  auto rate = move_clients(rt, control, seeded);
  auto cleaned = clean_up(rt, control, latency, seeded);
  std::vector<server_config> destinations(config.servers.begin() + 1, config.servers.end());
  auto bot_ok = bot_baseline(control, destinations, sequential, clients,
                             static_cast<int>(m.evacuation_parallel_panels), rate);
  return rate > 0 && cleaned && bot_ok ? 0 : 1;
}
