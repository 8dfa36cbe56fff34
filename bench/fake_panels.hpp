#pragma once

// Starts fake-xui for a benchmark: `n` panels on loopback, told apart by base path (/p1/ ...
// /pN/), on one free port or each on a port of its own, in a process of their own so CPU
// figures stay the client's.

#include "common/model/server.hpp"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace fleet::bench {

/// Returns a TCP port that was free a moment ago.
inline int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

/// Selects the constructor that gives every panel a port of its own.
struct own_ports_t {};
inline constexpr own_ports_t own_ports{};

/// fake-xui serving `n` panels; stopped on destruction. `ok()` tells whether it came up.
class fake_panels {
public:
  /// All panels on one port; `extra` adds flags (profile, credentials).
  fake_panels(const std::string& binary, int n, const std::string& extra) : n_(n) {
    launch(binary + " --port " + std::to_string(free_port()) + " --panels " + std::to_string(n)
           + " " + extra);
  }

  /// Each panel on a port of its own, so that one can go down alone (the `down` fault closes
  /// its port); `settings` are `--panel` settings every panel gets ("password=pw,...").
  fake_panels(own_ports_t, const std::string& binary, int n, const std::string& settings) : n_(n) {
    std::string command = binary;
    for (int i = 1; i <= n; ++i) {
      auto id = std::to_string(i);
      command += " --panel name=p" + id + ",port=0,base=/p" + id + "/,seed=" + id + "," + settings;
    }
    launch(command);
  }

  ~fake_panels() {
    if (pid_ > 0)
      kill(static_cast<pid_t>(pid_), SIGTERM);
    if (pipe_ != nullptr)
      pclose(pipe_);
  }

  fake_panels(const fake_panels&) = delete;
  fake_panels& operator=(const fake_panels&) = delete;

  [[nodiscard]] bool ok() const noexcept { return ports_.size() == static_cast<size_t>(n_); }
  /// The fake-xui process.
  [[nodiscard]] pid_t pid() const noexcept { return static_cast<pid_t>(pid_); }
  /// The port of the first panel (the port of all of them unless on ports of their own).
  [[nodiscard]] int port() const noexcept { return ports_.empty() ? 0 : ports_.front(); }
  /// The control API, "http://127.0.0.1:P".
  [[nodiscard]] std::string control_url() const {
    return "http://127.0.0.1:" + std::to_string(control_port_);
  }

  /// The panels as servers of a fleet: ids 1..n, names p1..pN, user admin with `password`
  /// (the one fake-xui was started with); port 0 when fake-xui did not come up.
  [[nodiscard]] std::vector<server_config> servers(const std::string& password) const {
    std::vector<server_config> out;
    for (int i = 1; i <= n_; ++i) {
      server_config s;
      s.id = std::to_string(i);
      s.name = "p" + s.id;
      s.host = "127.0.0.1";
      auto k = static_cast<size_t>(i - 1);
      s.port = static_cast<uint16_t>(k < ports_.size() ? ports_[k] : 0);
      s.base_path = "/p" + s.id + "/";
      s.username = "admin";
      s.password = password;
      out.push_back(s);
    }
    return out;
  }

private:
  /// Runs `command` in the background and reads the line fake-xui prints once it listens.
  void launch(const std::string& command) {
    pipe_ = popen((command + " --keep-alive 60 & echo $!; wait").c_str(), "r");
    static char line[1 << 20];
    while (pipe_ != nullptr && std::fgets(line, sizeof(line), pipe_) != nullptr) {
      if (line[0] != '{') {
        pid_ = std::atol(line);
        continue;
      }
      auto ready = nlohmann::json::parse(line, nullptr, false);
      if (ready.is_object() && pid_ > 0) {
        control_port_ = ready.value("control_port", 0);
        for (const auto& p : ready.value("panels", nlohmann::json::array()))
          ports_.push_back(p.value("port", 0));
      }
      break;
    }
  }

  FILE* pipe_ = nullptr;
  long pid_ = 0;
  int n_ = 0;
  int control_port_ = 0;
  std::vector<int> ports_;
};

} // namespace fleet::bench
