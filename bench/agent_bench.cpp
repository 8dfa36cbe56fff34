// The agent link, measured through the real coordinator and real agents over mutual TLS on
// loopback:
//   1. the round trip of a health update from an agent: the report plus a request behind it
//      on the same link, answered once the coordinator has applied the report; next to the
//      same pair sent to the coordinator inside its own process;
//   2. selections per second with 500 fake panels behind 5 agents vs the same 500 panels
//      probed by the coordinator itself.
// usage: agent_bench FAKE_XUI MAKE_CERTS [ROUND_TRIPS] [SELECTIONS]

#include "agent/agent_actor.hpp"
#include "bench/fake_panels.hpp"
#include "bench/percentile.hpp"
#include "bench/selection_rounds.hpp"
#include "common/actor_config.hpp"
#include "common/link/link_setup.hpp"
#include "common/logging.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/node_id.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace fleet;
using namespace std::chrono_literals;
using bench_clock = std::chrono::steady_clock;

namespace {

constexpr int agents = 5;

/// Certificates for the coordinator and agents a1..a5, made by scripts/make-certs.sh.
struct pki {
  std::filesystem::path dir;

  explicit pki(const std::string& make_certs) {
    dir = std::filesystem::temp_directory_path()
          / ("fleet-bench-pki-" + std::to_string(std::random_device{}()));
    auto cmd = make_certs + " " + dir.string() + " a1 a2 a3 a4 a5 >/dev/null";
    if (std::system(cmd.c_str()) != 0)
      std::fprintf(stderr, "cannot make certificates with %s\n", make_certs.c_str());
  }
  ~pki() { std::filesystem::remove_all(dir); }

  [[nodiscard]] link_settings link(const std::string& name) const {
    link_settings out;
    out.tls = {(dir / (name + ".pem")).string(), (dir / (name + ".key")).string(),
               (dir / "ca.pem").string()};
    return out;
  }
};

/// An actor system on an agent's side of the link, with its own HTTP engine. The engine is
/// declared first so that it outlives the actors (probes) that use it.
struct agent_side {
  http_engine engine;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;

  explicit agent_side(const link_settings& link) {
    add_protocol_types(cfg);
    tune_scheduler(cfg);
    configure_link(cfg, link);
    sys = std::make_unique<caf::actor_system>(cfg);
  }
};

/// Stands in for the probe of server `id` (the benchmark only sends reports).
caf::behavior stand_in_probe(caf::event_based_actor*, std::string /*id*/) {
  return {[](int) {}};
}

/// Sends a report on server `id` and a hello right behind it; returns the microseconds until
/// the answer, which the coordinator gives after applying the report.
double report_round(caf::scoped_actor& self, const caf::actor& to, const std::string& id,
                    int64_t seq) {
  health_report r;
  r.server_id = id;
  r.state = server_state::healthy;
  r.verdict = check_verdict::passed;
  r.checked_at_ms = seq;
  r.panel.active_clients = seq % 50;
  auto start = bench_clock::now();
  self->send(to, health_atom_v, r);
  self->request(to, caf::infinite, hello_atom_v, protocol_version, std::string{"a1"})
      .receive([](uint32_t) {},
               [](caf::error& e) {
                 std::fprintf(stderr, "  hello failed: %s\n", message_of(e).c_str());
               });
  return std::chrono::duration<double, std::micro>(bench_clock::now() - start).count();
}

void bench_round_trip(const pki& certs, int rounds) {
  fleet_config config;
  server_config local;
  local.id = "p0"; // probed by the coordinator (its panel is absent; only the reports count)
  local.host = "127.0.0.1";
  local.port = static_cast<uint16_t>(bench::free_port());
  local.username = "admin";
  local.password = "pw";
  server_config remote;
  remote.id = "p1";
  remote.agent = "a1";
  config.servers = {local, remote};
  config.management.health_check_interval = 60s;
  config.management.health_check_timeout = 1s;
  config.management.reconcile_interval = 0ms; // the stand-in probe below answers nothing
  config.coordinator.agent_listen = "127.0.0.1:0";
  config.coordinator.agent_link = certs.link("coordinator");
  auto dir = std::filesystem::temp_directory_path() / "fleet-bench-agent-rtt";
  std::filesystem::remove_all(dir);
  runtime rt;
  if (auto err = rt.start(config, dir.string())) {
    std::printf("round trip bench: %s\n", message_of(err).c_str());
    return;
  }
  std::vector<double> remote_us;
  std::vector<double> local_us;
  {
    auto link = certs.link("a1");
    agent_side side{link};
    caf::scoped_actor self{*side.sys};
    caf::actor gate;
    self->request(link_connector(*side.sys, link), 5s, caf::connect_atom_v,
                  std::string{"127.0.0.1"}, rt.agent_port())
        .receive([&](const caf::node_id&, caf::strong_actor_ptr& ptr,
                     const std::set<std::string>&) { gate = caf::actor_cast<caf::actor>(ptr); },
                 [](caf::error& e) {
                   std::fprintf(stderr, "  connect failed: %s\n", message_of(e).c_str());
                 });
    if (!gate)
      return;
    auto probe = side.sys->spawn(stand_in_probe, std::string{"p1"});
    self->request(gate, 5s, register_atom_v, std::string{"a1"},
                  std::vector<agent_panel>{{"p1", caf::actor_cast<probe_actor>(probe)}})
        .receive([](const std::vector<std::string>&) {},
                 [](caf::error& e) {
                   std::fprintf(stderr, "  register failed: %s\n", message_of(e).c_str());
                 });
    for (int i = 0; i < rounds; ++i)
      remote_us.push_back(report_round(self, gate, "p1", i));
    caf::anon_send_exit(probe, caf::exit_reason::user_shutdown);
  }
  {
    caf::scoped_actor self{rt.system()};
    for (int i = 0; i < rounds; ++i)
      local_us.push_back(report_round(self, rt.coordinator(), "p0", i));
  }
  std::sort(remote_us.begin(), remote_us.end());
  std::sort(local_us.begin(), local_us.end());
  std::printf("health update round trip (report + answer behind it), %d rounds\n", rounds);
  std::printf("  agent over mutual TLS    p50 %7.1f us   p99 %7.1f us\n",
              bench::percentile(remote_us, 0.5), bench::percentile(remote_us, 0.99));
  std::printf("  inside the coordinator   p50 %7.1f us   p99 %7.1f us\n",
              bench::percentile(local_us, 0.5), bench::percentile(local_us, 0.99));
  std::printf("  link / in-process (p50)  %.1fx\n",
              bench::percentile(remote_us, 0.5) / bench::percentile(local_us, 0.5));
  std::fflush(stdout);
}

fleet_config fleet_of(std::vector<server_config> servers) {
  fleet_config config;
  config.servers = std::move(servers);
  for (size_t i = 0; i < config.servers.size(); ++i) {
    config.servers[i].max_clients = 1'000'000;
    config.servers[i].region = "R" + std::to_string((i + 1) % 5);
  }
  config.management.health_check_interval = 5000ms;
  config.management.health_check_timeout = 1000ms;
  config.management.load_balance_threshold = 1.0;
  return config;
}

void print_row(const char* name, const bench::selection_figures& f) {
  std::printf("  %-24s %8.0f /s sequential (p50 %.1f us, p99 %.1f us)   %8.0f /s pipelined%s\n",
              name, f.sequential_per_s, f.p50_us, f.p99_us, f.pipelined_per_s,
              f.failures > 0 ? "   (failures!)" : "");
}

void bench_selections(const std::string& fake_binary, const pki& certs, int selections) {
  constexpr int panels = 500;
  bench::fake_panels fake{fake_binary, panels, "--password pw"};
  auto servers = fake.servers("pw");
  auto dir = std::filesystem::temp_directory_path() / "fleet-bench-agent-select";
  bench::selection_figures local;
  bench::selection_figures remote;
  {
    std::filesystem::remove_all(dir);
    runtime rt;
    if (rt.start(fleet_of(servers), dir.string()) || !bench::wait_healthy(rt, panels)) {
      std::printf("selection bench: the local fleet did not come up\n");
      return;
    }
    local = bench::measure_selections(rt, selections);
  }
  {
    std::filesystem::remove_all(dir);
    auto config = fleet_of(servers);
    for (size_t i = 0; i < config.servers.size(); ++i) {
      auto& s = config.servers[i];
      s.agent = "a" + std::to_string(i % agents + 1);
      s.host.clear(); // the coordinator knows an agent's panels by id only
      s.password.clear();
    }
    config.coordinator.agent_listen = "127.0.0.1:0";
    config.coordinator.agent_link = certs.link("coordinator");
    runtime rt;
    if (auto err = rt.start(config, dir.string())) {
      std::printf("selection bench: %s\n", message_of(err).c_str());
      return;
    }
    std::vector<std::unique_ptr<agent_side>> sides;
    std::vector<caf::actor> running;
    for (int k = 1; k <= agents; ++k) {
      auto id = "a" + std::to_string(k);
      fleet_config own = fleet_of({});
      for (size_t i = 0; i < servers.size(); ++i)
        if (static_cast<int>(i % agents) + 1 == k)
          own.servers.push_back(servers[i]);
      own.agent.id = id;
      own.agent.coordinator = "127.0.0.1:" + std::to_string(rt.agent_port());
      own.agent.link = certs.link(id);
      auto& side = sides.emplace_back(std::make_unique<agent_side>(own.agent.link));
      running.push_back(side->sys->spawn(
          agent, own, protocol_version, link_connector(*side->sys, own.agent.link), &side->engine));
    }
    if (bench::wait_healthy(rt, panels))
      remote = bench::measure_selections(rt, selections);
    else
      std::printf("selection bench: the agents' panels did not come up\n");
    for (auto& a : running)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    sides.clear();
  }
  std::printf("selections through the coordinator, %d healthy panels, %d selections\n", panels,
              selections);
  print_row("probed by the coordinator", local);
  print_row("behind 5 agents", remote);
  std::printf("  agents / local            %.2f sequential   %.2f pipelined\n",
              remote.sequential_per_s / local.sequential_per_s,
              remote.pipelined_per_s / local.pipelined_per_s);
  std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: agent_bench FAKE_XUI MAKE_CERTS [ROUND_TRIPS] [SELECTIONS]\n");
    return 2;
  }
  init_logging(std::getenv("FLEET_LOG") ? std::getenv("FLEET_LOG") : "error");
  pki certs{argv[2]};
  int rounds = argc > 3 ? std::atoi(argv[3]) : 20'000;
  int selections = argc > 4 ? std::atoi(argv[4]) : 100'000;
  bench_round_trip(certs, rounds);
  std::printf("\n");
  bench_selections(argv[1], certs, selections);
  return 0;
}
