#include "coordinator/daemon/daemon.hpp"

#include "common/logging.hpp"
#include "common/open_files.hpp"
#include "common/stop_signals.hpp"
#include "coordinator/api/http_api.hpp"
#include "coordinator/api/subscription_api.hpp"
#include "coordinator/runtime.hpp"
#include "coordinator/store/backup_worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

namespace fleet {

int run_daemon(const fleet_config& config, const std::string& data_dir, reload_source source) {
  auto log = log_for("coordinator");
  auto limit = raise_open_file_limit();
  if (limit.after != limit.before)
    log->info("open files: soft limit raised from {} to {}", limit.before, limit.after);
  auto signals = with_reload_signal(block_stop_signals());
  runtime fleet;
  if (auto err = fleet.start(config, data_dir)) {
    log->error("{}", message_of(err));
    return 1;
  }
  // Backups copy files on a thread of their own; the API only queues them.
  backup_worker backups{fleet.db(), config.coordinator.backup, fleet.events()};
  http_api api{config, fleet.system(), fleet.coordinator(), &fleet.db(), fleet.events(), &backups};
  config_reloader reloader{std::move(source), config, fleet.system(), fleet.coordinator(),
                           [&api](const fleet_config& next) { api.reconfigure(next); }};
  api.set_reloader(&reloader);
  api.show_notifications(fleet.notifications());
  if (auto err = api.start()) {
    log->error("{}", message_of(err));
    return 1;
  }
  std::unique_ptr<subscription_api> subscriptions;
  if (!config.coordinator.subscription_listen.empty()) {
    subscriptions = std::make_unique<subscription_api>(config, fleet.system(), fleet.coordinator());
    if (auto err = subscriptions->start()) {
      log->error("{}", message_of(err));
      backups.stop();
      return 1;
    }
  }
  auto probes = std::count_if(config.servers.begin(), config.servers.end(),
                              [](const server_config& s) { return s.enabled && probed_by(s, ""); });
  log->info("fleet-coordinator running: {} servers, {} probed here, strategy {}, data in {}",
            config.servers.size(), probes, config.management.selection_strategy, data_dir);
  int sig = 0;
  // SIGHUP only queues a reload: the reloader's thread does the work and logs the outcome.
  while (sigwait(&signals, &sig) == 0 && sig == SIGHUP)
    reloader.request("SIGHUP", [log](int status, const nlohmann::json& body) {
      if (status != 200)
        log->error("reload after SIGHUP refused: {}",
                   body.contains("error") ? body["error"].value("message", "") : body.dump());
    });
  log->info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
  reloader.stop();
  if (subscriptions)
    subscriptions->stop();
  // Before the API: a backup still asked for is answered while its connection is there.
  backups.stop();
  api.stop();
  fleet.stop();
  return 0;
}

} // namespace fleet
