#pragma once

// Starts fake-xui for a benchmark: `n` panels on one free loopback port, told apart by base
// path (/p1/ ... /pN/), in a process of their own so CPU figures stay the client's.

#include "common/model/server.hpp"

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

/// fake-xui serving `n` panels; `extra` adds flags (profile, credentials). Stopped on
/// destruction. `ok()` tells whether it came up.
class fake_panels {
public:
  fake_panels(const std::string& binary, int n, const std::string& extra)
      : port_(free_port()), n_(n) {
    auto command = binary + " --keep-alive 60 --port " + std::to_string(port_) + " --panels "
                   + std::to_string(n) + " " + extra + " & echo $!; wait";
    pipe_ = popen(command.c_str(), "r");
    static char line[1 << 20];
    while (pipe_ != nullptr && std::fgets(line, sizeof(line), pipe_) != nullptr) {
      if (line[0] == '{') {
        ready_ = true;
        break;
      }
      pid_ = std::atol(line);
    }
  }

  ~fake_panels() {
    if (pid_ > 0)
      kill(static_cast<pid_t>(pid_), SIGTERM);
    if (pipe_ != nullptr)
      pclose(pipe_);
  }

  fake_panels(const fake_panels&) = delete;
  fake_panels& operator=(const fake_panels&) = delete;

  [[nodiscard]] bool ok() const noexcept { return ready_ && pid_ > 0; }
  [[nodiscard]] int port() const noexcept { return port_; }

  /// The panels as servers of a fleet: ids 1..n, names p1..pN, user admin with `password`
  /// (the one fake-xui was started with).
  [[nodiscard]] std::vector<server_config> servers(const std::string& password) const {
    std::vector<server_config> out;
    for (int i = 1; i <= n_; ++i) {
      server_config s;
      s.id = std::to_string(i);
      s.name = "p" + s.id;
      s.host = "127.0.0.1";
      s.port = static_cast<uint16_t>(port_);
      s.base_path = "/p" + s.id + "/";
      s.username = "admin";
      s.password = password;
      out.push_back(s);
    }
    return out;
  }

private:
  FILE* pipe_ = nullptr;
  long pid_ = 0;
  int port_ = 0;
  int n_ = 0;
  bool ready_ = false;
};

} // namespace fleet::bench
