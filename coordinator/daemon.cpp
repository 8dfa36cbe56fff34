#include "coordinator/daemon.hpp"

#include "common/logging.hpp"
#include "common/protocol.hpp"
#include "coordinator/coordinator_actor.hpp"
#include "coordinator/coordinator_messages.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>

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
  // The coordinator spawns one linked probe per enabled panel; they end with it.
  auto coord = system.spawn(coordinator, state, config, &engine);
  auto probes = std::count_if(config.servers.begin(), config.servers.end(),
                              [](const server_config& s) { return s.enabled; });
  log->info("fleet-coordinator running: {} servers, {} probes, strategy {}, data in {}",
            config.servers.size(), probes, config.management.selection_strategy, data_dir);
  int sig = 0;
  sigwait(&signals, &sig);
  log->info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
  // Probes keep themselves alive with timers; the exit reaches them through their links.
  caf::anon_send_exit(coord, caf::exit_reason::user_shutdown);
  return 0;
}

} // namespace fleet
