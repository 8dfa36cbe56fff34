#include "coordinator/daemon.hpp"

#include "common/logging.hpp"
#include "common/panel/probe_actor.hpp"
#include "common/protocol.hpp"
#include "coordinator/coordinator_actor.hpp"
#include "coordinator/coordinator_messages.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>

#include <spdlog/spdlog.h>

#include <csignal>
#include <vector>

namespace fleet {

int run_daemon(const fleet_config& config, const std::string& data_dir) {
  auto log = log_for("coordinator");
  auto db = store::open(data_dir);
  if (!db) {
    log->error("{}", message_of(db.error()));
    return 1;
  }
  auto state = std::make_shared<coordinator_state>();
  if (auto err = state->init(config, db->get())) {
    log->error("cannot restore the fleet's state: {}", message_of(err));
    return 1;
  }
  // Signals are taken by this thread only: block them before any other thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // The engine outlives the actor system: probes hold it by pointer.
  http_engine engine;
  caf::actor_system_config cfg;
  add_protocol_types(cfg);
  cfg.set("logger.verbosity", caf::atom("quiet"));
  caf::actor_system system{cfg};
  auto coord = system.spawn(coordinator, state);
  std::vector<caf::actor> actors{coord};
  size_t probes = 0;
  for (const auto& server : config.servers) {
    if (!server.enabled)
      continue;
    actors.push_back(system.spawn(probe, server, &engine, config.management, coord));
    ++probes;
  }
  log->info("fleet-coordinator running: {} servers, {} probes, strategy {}, data in {}",
            config.servers.size(), probes, config.management.selection_strategy, data_dir);
  int sig = 0;
  sigwait(&signals, &sig);
  log->info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
  // Long-lived actors keep themselves alive with timers; tell each to quit.
  for (auto& a : actors)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  return 0;
}

} // namespace fleet
