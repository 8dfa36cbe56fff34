#pragma once

#include "tools/fake_xui/panel_host.hpp"

#include <string>
#include <vector>

namespace fleet::fake {

/// The command line of fake-xui.
struct command_line {
  std::vector<panel_options> panels;
  uint16_t control_port = 0;
  std::string host = "127.0.0.1";
  int keep_alive_s = 5;
  /// Most worker threads per listening port.
  size_t threads = 1024;
  bool help = false;
  /// Empty when the command line is valid.
  std::string error;
};

/// Parses `--panel k=v,...`, `--panels N` (with `--port`, `--profile`, `--user`,
/// `--password`, `--token`, `--latency`, `--no-lock`), `--control-port`, `--host`, `--keep-alive`,
/// `--threads`, `--help`.
[[nodiscard]] command_line parse_command_line(const std::vector<std::string>& args);

[[nodiscard]] std::string usage();

} // namespace fleet::fake
