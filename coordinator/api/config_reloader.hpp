#pragma once

#include "common/config/config.hpp"
#include "coordinator/api/api_errors.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace fleet {

/// Where a reload reads the configuration from: the file the daemon started with, the same
/// environment overrides and the same rules as at start.
struct reload_source {
  std::string path;
  env_lookup env;
  config_rules rules;
};

/// Reloads the configuration file into the running fleet, one reload at a time, on a thread
/// of its own (a reload reads a file and waits for the coordinator; neither may happen on an
/// event loop or in a signal handler). Each reload reads and validates the file as start-up
/// and `--check-config` do: a file with errors changes nothing and the answer lists every
/// problem. Otherwise it plans the changes (`plan_reload`), lets the coordinator apply them
/// (it refuses the whole reload when a removed server still holds clients), then gives the
/// API its new servers and tokens (`apply_api`).
///
/// Answers: 200 `{reloaded, file, changes, warnings}`; 400 `invalid_argument` with
/// `details.problems` for a bad file; 409 `conflict` for a refused removal; 500/504 when the
/// coordinator cannot be asked.
///
/// Thread-safety: `request` may be called from any thread; answers run on the reloader's
/// thread. Lifecycle: the thread starts on construction; `stop` (or destruction) answers
/// queued requests with an error and joins. `system` and `coordinator` must outlive it.
class config_reloader {
public:
  /// An answer: the body is the API's (`api_error` body for failures).
  using answer = std::function<void(int status, const nlohmann::json& body)>;
  /// Gives the HTTP API the servers and tokens of a configuration.
  using api_update = std::function<void(const fleet_config&)>;

  config_reloader(reload_source source, fleet_config running, caf::actor_system& system,
                  caf::actor coordinator, api_update apply_api);
  ~config_reloader();

  config_reloader(const config_reloader&) = delete;
  config_reloader& operator=(const config_reloader&) = delete;

  /// Queues a reload asked for by `origin` (for the log: "SIGHUP", "the API").
  void request(std::string origin, answer done);

  void stop();

private:
  struct job {
    std::string origin;
    answer done;
  };

  void run();
  void reload(const job& j);

  reload_source source_;
  /// The configuration that runs now (what a restart would not change yet included).
  fleet_config running_;
  caf::actor_system& system_;
  caf::actor coordinator_;
  api_update apply_api_;
  std::mutex mtx_;
  std::condition_variable wake_;
  std::deque<job> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

/// The body of a reload refused because of the file's problems.
[[nodiscard]] api_error bad_file_error(const std::string& path, const field_problems& problems);

} // namespace fleet
