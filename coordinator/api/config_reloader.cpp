#include "coordinator/api/config_reloader.hpp"

#include "common/logging.hpp"
#include "coordinator/cli/config_report.hpp"
#include "coordinator/fleet_reload.hpp"

#include <caf/scoped_actor.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <map>

namespace fleet {

namespace {

/// Long enough for a coordinator busy with a large fleet; a reload changes no panel.
constexpr auto coordinator_timeout = std::chrono::seconds{30};

/// `running`'s servers and those of `next` (the new version of each): what the API must know
/// while the coordinator may answer with either.
fleet_config union_of(const fleet_config& running, const fleet_config& next) {
  auto out = next;
  std::map<std::string, bool> known;
  for (const auto& s : next.servers)
    known[s.id] = true;
  for (const auto& s : running.servers)
    if (known.count(s.id) == 0)
      out.servers.push_back(s);
  return out;
}

} // namespace

api_error bad_file_error(const std::string& path, const field_problems& problems) {
  std::string first;
  for (const auto& p : problems)
    if (p.level == field_problem::severity::error) {
      first = p.to_string();
      break;
    }
  return api_error_of(400, "invalid_argument",
                      "config " + path
                          + " is not valid, nothing changed (the fleet runs on): " + first,
                      {{"file", path}, {"problems", problems_json(problems)}});
}

config_reloader::config_reloader(reload_source source, fleet_config running,
                                 caf::actor_system& system, caf::actor coordinator,
                                 api_update apply_api)
    : source_(std::move(source)), running_(std::move(running)), system_(system),
      coordinator_(std::move(coordinator)), apply_api_(std::move(apply_api)) {
  thread_ = std::thread{[this] { run(); }};
}

config_reloader::~config_reloader() {
  stop();
}

void config_reloader::request(std::string origin, answer done) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (!stopping_) {
      queue_.push_back({std::move(origin), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  auto err = api_error_of(503, "unavailable", "the coordinator is shutting down");
  done(err.status, err.body);
}

void config_reloader::stop() {
  std::deque<job> left;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable())
    thread_.join();
  {
    std::lock_guard<std::mutex> guard{mtx_};
    left.swap(queue_);
  }
  auto err = api_error_of(503, "unavailable", "the coordinator is shutting down");
  for (auto& j : left)
    j.done(err.status, err.body);
}

void config_reloader::run() {
  for (;;) {
    job next;
    {
      std::unique_lock<std::mutex> lock{mtx_};
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_)
        return;
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      reload(next);
    } catch (const std::exception& e) {
      log_for("coordinator")->error("reloading {} failed: {}", source_.path, e.what());
      auto err = api_error_of(500, "internal", std::string{"the reload failed: "} + e.what());
      next.done(err.status, err.body);
    }
  }
}

void config_reloader::reload(const job& j) {
  auto log = log_for("coordinator");
  log->info("reloading {} ({})", source_.path, j.origin);
  auto loaded = load_config_file(source_.path, source_.env, source_.rules);
  auto warnings = nlohmann::json::array();
  for (const auto& p : loaded.problems)
    if (p.level == field_problem::severity::warning)
      warnings.push_back(p.to_string());
  if (has_errors(loaded.problems)) {
    for (const auto& p : loaded.problems)
      log->error("reload refused: {}: {}", source_.path, p.to_string());
    auto err = bad_file_error(source_.path, loaded.problems);
    return j.done(err.status, err.body);
  }
  auto plan = plan_reload(running_, loaded.config);
  for (const auto& why : plan.restart_required)
    log->warn("reload: {}", why);
  nlohmann::json outcome{{"reloaded", !plan.applies_nothing()},
                         {"file", source_.path},
                         {"changes", plan.summary()},
                         {"warnings", warnings}};
  if (plan.applies_nothing()) {
    log->info("reload: nothing to apply");
    return j.done(200, outcome);
  }
  // The API knows the servers of both configurations while the coordinator switches.
  apply_api_(union_of(running_, plan.effective));
  caf::error failed;
  caf::scoped_actor self{system_};
  self->request(coordinator_, coordinator_timeout, reload_atom_v, plan)
      .receive([](bool) {}, [&](caf::error& err) { failed = std::move(err); });
  if (failed) {
    apply_api_(running_);
    log->error("reload refused: {}", message_of(failed));
    auto err = to_api_error(failed, {{"file", source_.path}});
    return j.done(err.status, err.body);
  }
  running_ = plan.effective;
  apply_api_(running_);
  j.done(200, outcome);
}

} // namespace fleet
