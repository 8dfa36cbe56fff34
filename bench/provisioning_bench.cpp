// Provisioning new users at burst speed, side by side in one run (issue 15): a bot that
// calls the panels itself (the original ServerManager: least load from cached counts, one
// addClient per user over common/panel) against the real fleet-coordinator daemon through
// `POST /api/v1/clients`, with the same number of requests in flight, over fake-xui panels
// of the v3.0 profile (classic-csrf), each on a port of its own, with a per-request latency
// that does not serialise requests. Panels either serialise client writes ("serialised") or
// run addClient without a lock as v2.x/v3.0 do ("no-lock": concurrent adds to one inbound
// lose clients); "gen2" rows run v3.1+ panels instead (one client per `clients/add` call,
// a lock per inbound), where the coordinator adds a batch over several sessions. Per row: users/s,
// p50/p99 create latency, addClient calls the panels served, coordinator CPU per create, clients
// lost and duplicated, and the ratio; before them the load generator's ceiling (GET /healthz) and
// POST /api/v1/select per second; after them the issue's targets, met or missed by how much. usage:
// provisioning_bench FAKE_XUI FLEET_COORDINATOR [--users N] [--panels N]
//          [--latencies MS,...] [--in-flight N,...] [--modes serialised,no-lock,gen2]
// Exit status 1 when a row could not run, a create failed, or a client was lost or
// duplicated anywhere but by the baseline on no-lock panels.

#include "bench/provisioning_rows.hpp"
#include "bench/provisioning_targets.hpp"
#include "common/open_files.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

using namespace fleet;
using namespace fleet::bench;

namespace {

struct options {
  std::string fake;
  std::string coordinator;
  int users = 1000;
  int panels = 20;
  std::vector<int> latencies{0, 50};
  std::vector<int> in_flight{4, 32, 256};
  std::vector<std::string> modes{"serialised", "no-lock"};
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in{text};
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty())
      out.push_back(item);
  return out;
}

std::vector<int> numbers(const std::string& text) {
  std::vector<int> out;
  for (const auto& item : split(text))
    out.push_back(std::atoi(item.c_str()));
  return out;
}

bool parse(int argc, char** argv, options& o) {
  if (argc < 3)
    return false;
  o.fake = argv[1];
  o.coordinator = argv[2];
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    std::string value = argv[i + 1];
    if (key == "--users")
      o.users = std::atoi(value.c_str());
    else if (key == "--panels")
      o.panels = std::atoi(value.c_str());
    else if (key == "--latencies")
      o.latencies = numbers(value);
    else if (key == "--in-flight")
      o.in_flight = numbers(value);
    else if (key == "--modes")
      o.modes = split(value);
    else
      return false;
  }
  if (argc % 2 == 0)
    return false;
  for (const auto& m : o.modes)
    if (m != "serialised" && m != "no-lock" && m != "gen2")
      return false;
  for (auto c : o.in_flight)
    if (c < 1)
      return false;
  return o.users > 0 && o.panels > 0 && !o.latencies.empty() && !o.in_flight.empty();
}

/// The coordinator's configuration for the fake panels: every check well apart from the
/// rows (5 s), no reconcile passes, no load threshold in the way.
nlohmann::json fleet_config_of(const std::vector<server_config>& servers) {
  auto list = nlohmann::json::array();
  for (const auto& s : servers)
    list.push_back({{"id", s.id},
                    {"name", s.name},
                    {"host", s.host},
                    {"port", s.port},
                    {"base_path", s.base_path},
                    {"username", s.username},
                    {"password", s.password},
                    {"max_clients", 1'000'000}});
  return {{"xui_servers", list},
          {"server_management",
           {{"health_check_interval", "5s"},
            {"health_check_timeout", "4s"},
            {"load_balance_threshold", 1.0},
            {"reconcile_interval", "0s"}}},
          {"coordinator", nlohmann::json::object()},
          {"log_level", "warn"}};
}

void print_row(const std::string& mode, int latency, int in_flight, const std::string& side,
               const row_figures& r, const row_figures* baseline) {
  auto calls = std::to_string(r.add_calls);
  if (r.metric_calls >= 0)
    calls += " (" + fixed(r.metric_calls, 0) + ")";
  auto cpu = fixed(r.panels_cpu_pct, 0) + "/" + fixed(r.client_cpu_pct, 0);
  std::printf("  %-10s %4d ms %6d   %-9s %9.0f %8.1f %8.1f  %-14s %-9s %9s %6d %5d %6d  %s\n",
              mode.c_str(), latency, in_flight, side.c_str(), r.users_per_s(), r.p50_ms, r.p99_ms,
              calls.c_str(), cpu.c_str(),
              r.cpu_us_per_create >= 0 ? fixed(r.cpu_us_per_create, 0).c_str() : "-", r.lost,
              r.duplicated, r.failures,
              baseline != nullptr && baseline->users_per_s() > 0
                  ? (fixed(r.users_per_s() / baseline->users_per_s(), 2) + "x").c_str()
                  : "");
  if (!r.first_error.empty())
    std::printf("    first failure: %s\n", r.first_error.c_str());
  std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
  options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr, "usage: provisioning_bench FAKE_XUI FLEET_COORDINATOR [--users N] "
                         "[--panels N] [--latencies MS,...] [--in-flight N,...] "
                         "[--modes serialised,no-lock,gen2]\n");
    return 2;
  }
  // Hundreds of connections per side, in this process and in the processes it starts.
  raise_open_file_limit();
  auto work
      = std::filesystem::temp_directory_path() / ("provisioning-bench-" + std::to_string(getpid()));
  std::printf("provisioning: %d new users over %d fake panels (3x-ui v3.0, classic-csrf; gen2 "
              "rows: v3.1+), each panel on a port of its own\n",
              o.users, o.panels);
  std::printf("  baseline:  a bot (least load from cached counts, one addClient per user over "
              "common/panel)\n");
  std::printf("  xui-fleet: the fleet-coordinator daemon, POST /api/v1/clients from an in-bench "
              "client (libcurl multi, one thread)\n");
  std::printf("  panel calls: addClient requests the panels served; in brackets the "
              "coordinator's xui_fleet_panel_calls_total\n  (client operations: it counts "
              "clients, not requests)\n");
  std::printf("  CPU%%: the fake panels' process / this one (the bot, or the load generator), "
              "in %% of one core; coord us/c: the coordinator's CPU per create\n");
  std::fflush(stdout);
  bool ok = true;
  results all;
  int64_t next_user = 1'000'000;
  for (auto latency : o.latencies)
    for (const auto& mode : o.modes) {
      auto settings = std::string{mode == "gen2" ? "profile=gen2" : "profile=classic-csrf"}
                      + ",password=pw,latency=" + std::to_string(latency)
                      + (mode == "no-lock" ? ",no_lock=1" : "");
      fake_panels fake{own_ports, o.fake, o.panels, settings};
      if (!fake.ok()) {
        std::printf("  %s %d ms: fake-xui did not start\n", mode.c_str(), latency);
        ok = false;
        continue;
      }
      auto servers = fake.servers("pw");
      fake_control control{fake.control_url()};
      coordinator_process fleet{o.coordinator, fleet_config_of(servers),
                                work / (mode + "-" + std::to_string(latency)),
                                "bench-token-0123456789abcdef"};
      if (!fleet.wait_healthy(servers.size())) {
        std::printf("  %s %d ms: the coordinator's fleet did not come up (log in %s)\n",
                    mode.c_str(), latency, work.c_str());
        ok = false;
        continue;
      }
      if (all.ceilings.empty()) {
        all.ceiling_latency = latency;
        auto count = std::max(500, 5 * o.users);
        std::printf("\nload generator ceiling and selections (in-bench client: %d requests each; "
                    "wrk: 2 s each; %s panels at %d ms)\n  in flight   GET /healthz   POST "
                    "/api/v1/select   the same with wrk\n",
                    count, mode.c_str(), latency);
        const std::string select_body = R"({"user_id": "42"})";
        for (auto c : o.in_flight) {
          ceiling x;
          x.healthz_per_s = api_rate(fleet, "GET", "/healthz", "", count, c);
          x.select_per_s = api_rate(fleet, "POST", "/api/v1/select", select_body, count, c);
          x.wrk_select_per_s
              = wrk_post_rate(fleet, "/api/v1/select", select_body, c, 2, fleet.folder());
          all.ceilings[c] = x;
          std::printf(
              "  %9d   %8.0f /s     %8.0f /s         %s\n", c, x.healthz_per_s, x.select_per_s,
              x.wrk_select_per_s > 0 ? (fixed(x.wrk_select_per_s, 0) + " /s").c_str() : "(no wrk)");
        }
        std::printf(
            "\n  panels     latency in flight side        users/s   p50 ms   p99 ms  "
            "panel calls    CPU%%     coord us/c   lost   dup failed  xui-fleet/baseline\n");
      }
      for (auto c : o.in_flight) {
        auto tag = mode.substr(0, 1) + std::to_string(latency) + "-" + std::to_string(c);
        auto base = baseline_row(control, fake.pid(), servers, o.users, c, "bot-" + tag + "-");
        print_row(mode, latency, c, "baseline", base, nullptr);
        auto ours = fleet_row(control, fake.pid(), fleet, servers.size(), o.users, c,
                              "fleet-" + tag + "-", next_user);
        next_user += o.users;
        print_row(mode, latency, c, "xui-fleet", ours, &base);
        all.rows[{mode, latency, c}] = {base, ours};
        auto careless = mode == "no-lock";
        if (base.failures > 0 || ours.failures > 0 || ours.lost > 0 || ours.duplicated > 0
            || (!careless && (base.lost > 0 || base.duplicated > 0)))
          ok = false;
      }
    }
  // The coordinators' folders (their logs) stay when something went wrong.
  if (ok)
    std::filesystem::remove_all(work);
  print_targets(all);
  if (!ok)
    std::printf("FAILED: a row did not run, a create failed, or a client was lost or duplicated\n");
  return ok ? 0 : 1;
}
