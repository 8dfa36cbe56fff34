#pragma once

// The real fleet-coordinator daemon for a benchmark: started on a configuration in a scratch
// folder, waited for until its fleet is healthy, asked over its HTTP API, and measured from
// outside (its CPU time); stopped with SIGTERM on destruction.

#include "bench/blocking_call.hpp"
#include "bench/fake_panels.hpp"
#include "bench/process_stats.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fleet::bench {

class coordinator_process {
public:
  /// Writes `config` (its `coordinator.listen` and `api_tokens` are set here) to `dir`, which
  /// is emptied first, and starts `binary` on it with its log in `dir`/coordinator.log.
  coordinator_process(const std::string& binary, nlohmann::json config, std::filesystem::path dir,
                      std::string token)
      : dir_(std::move(dir)), token_(std::move(token)) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto port = free_port();
    url_ = "http://127.0.0.1:" + std::to_string(port);
    config["coordinator"]["listen"] = "127.0.0.1:" + std::to_string(port);
    config["coordinator"]["api_tokens"] = {token_};
    std::ofstream{dir_ / "fleet.json"} << config.dump(2);
    auto config_path = (dir_ / "fleet.json").string();
    auto data_path = (dir_ / "data").string();
    auto log_path = (dir_ / "coordinator.log").string();
    std::vector<std::string> args{binary, "--config", config_path, "--data-dir", data_path};
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    auto parent = getpid();
    pid_ = fork();
    if (pid_ == 0) {
      // The daemon goes when the benchmark does, however it ends.
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != parent)
        _exit(1);
      auto log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(log, 1);
      dup2(log, 2);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    session_ = engine_.open_session();
  }

  ~coordinator_process() {
    if (pid_ <= 0)
      return;
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    if (waitpid(pid_, &status, WNOHANG) == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }

  coordinator_process(const coordinator_process&) = delete;
  coordinator_process& operator=(const coordinator_process&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  /// The scratch folder: configuration, store and log.
  [[nodiscard]] const std::filesystem::path& folder() const noexcept { return dir_; }
  /// "http://127.0.0.1:P".
  [[nodiscard]] const std::string& url() const noexcept { return url_; }
  [[nodiscard]] const std::string& token() const noexcept { return token_; }
  [[nodiscard]] std::string authorization() const { return "Authorization: Bearer " + token_; }

  /// Waits up to `limit` until `servers` servers are healthy; false when they are not (or
  /// the daemon has exited).
  bool wait_healthy(size_t servers, std::chrono::seconds limit = std::chrono::seconds{60}) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      int status = 0;
      if (pid_ <= 0 || waitpid(pid_, &status, WNOHANG) != 0)
        return false;
      auto r = get("/api/v1/health");
      auto body = nlohmann::json::parse(r.body, nullptr, false);
      size_t healthy = 0;
      auto servers_health
          = body.is_object() ? body.value("servers", nlohmann::json::object()) : nlohmann::json{};
      if (r.status == 200 && servers_health.is_object())
        for (const auto& [id, h] : servers_health.items())
          if (h.is_object() && h.value("is_healthy", false))
            ++healthy;
      if (healthy == servers)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds{200});
    }
    return false;
  }

  /// GET `path` with the API token.
  http_response get(const std::string& path) {
    return blocking_call(engine_, session_, "GET", url_ + path, {}, {authorization()});
  }

  /// The sum of a Prometheus counter family (`xui_fleet_panel_calls_total`) over its labels;
  /// -1 when /metrics cannot be read.
  double metric_sum(const std::string& family) {
    auto r = get("/metrics");
    if (r.status != 200)
      return -1;
    double sum = 0;
    size_t pos = 0;
    while (pos < r.body.size()) {
      auto end = r.body.find('\n', pos);
      auto line = r.body.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      pos = end == std::string::npos ? r.body.size() : end + 1;
      if (line.rfind(family, 0) == 0 && line.size() > family.size()
          && (line[family.size()] == '{' || line[family.size()] == ' '))
        sum += std::atof(line.c_str() + line.rfind(' ') + 1);
    }
    return sum;
  }

  /// CPU seconds the daemon has used so far, every thread.
  [[nodiscard]] double cpu_seconds() const { return cpu_seconds_of(pid_); }

private:
  std::filesystem::path dir_;
  std::string token_;
  std::string url_;
  pid_t pid_ = 0;
  http_engine engine_{2};
  http_engine::session_id session_ = 0;
};

} // namespace fleet::bench
