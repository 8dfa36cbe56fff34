#include "coordinator/daemon.hpp"

#include "common/logging.hpp"
#include "coordinator/api/http_api.hpp"
#include "coordinator/runtime.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>

namespace fleet {

int run_daemon(const fleet_config& config, const std::string& data_dir) {
  auto log = log_for("coordinator");
  // Signals are taken by this thread only: block them before any other thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  runtime fleet;
  if (auto err = fleet.start(config, data_dir)) {
    log->error("{}", message_of(err));
    return 1;
  }
  http_api api{config, fleet.system(), fleet.coordinator(), &fleet.db(), fleet.events()};
  if (auto err = api.start()) {
    log->error("{}", message_of(err));
    return 1;
  }
  auto probes = std::count_if(config.servers.begin(), config.servers.end(),
                              [](const server_config& s) { return s.enabled; });
  log->info("fleet-coordinator running: {} servers, {} probes, strategy {}, data in {}",
            config.servers.size(), probes, config.management.selection_strategy, data_dir);
  int sig = 0;
  sigwait(&signals, &sig);
  log->info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
  api.stop();
  fleet.stop();
  return 0;
}

} // namespace fleet
