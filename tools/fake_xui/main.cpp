// fake-xui: emulated 3X-UI panels for tests, demos and benchmarks. Wiring only.

#include "common/stop_signals.hpp"
#include "tools/fake_xui/fake_server.hpp"
#include "tools/fake_xui/panel_options_parser.hpp"

#include <iostream>

int main(int argc, char** argv) {
  using namespace fleet::fake;
  auto parsed = parse_command_line({argv + 1, argv + argc});
  if (!parsed.error.empty()) {
    std::cerr << "fake-xui: " << parsed.error << "\n" << usage();
    return 2;
  }
  if (parsed.help) {
    std::cout << usage();
    return 0;
  }
  auto signals = fleet::block_stop_signals();
  fake_server server;
  server.set_keep_alive(parsed.keep_alive_s);
  server.set_worker_threads(parsed.threads);
  for (auto& p : parsed.panels)
    server.add_panel(std::move(p));
  if (auto err = server.start(parsed.control_port, parsed.host); !err.empty()) {
    std::cerr << "fake-xui: " << err << "\n";
    return 1;
  }
  // One line on stdout tells scripts and tests where everything listens.
  std::cout << server.describe().dump() << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  server.stop();
  return 0;
}
