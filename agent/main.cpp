// fleet-agent: runs the probes of a group of panels near them for a fleet-coordinator. This
// file only wires the parts together.

#include "agent/agent_daemon.hpp"
#include "agent/agent_options.hpp"
#include "common/config/config.hpp"
#include "common/link/link_setup.hpp"
#include "common/logging.hpp"
#include "common/protocol.hpp"

#include <iostream>

int main(int argc, char** argv) {
  using namespace fleet;
  auto opts = parse_agent_options({argv + 1, argv + argc});
  if (!opts) {
    std::cerr << "fleet-agent: " << message_of(opts.error()) << '\n';
    return 2;
  }
  if (opts->help) {
    std::cout << agent_usage();
    return 0;
  }
  if (opts->version) {
    std::cout << "fleet-agent 0.1.0 (protocol " << protocol_version << ")\n";
    return 0;
  }
  config_rules rules;
  rules.program = config_rules::reader::agent;
  auto loaded = load_config_file(opts->config_path, process_env(), rules);
  print_problems(std::cerr, opts->config_path, loaded.problems);
  if (has_errors(loaded.problems)) {
    std::cerr << "fleet-agent: config " << opts->config_path
              << " is not valid; fix the errors above\n";
    return 1;
  }
  if (auto err = check_link_material(loaded.config.agent.link)) {
    std::cerr << "error: " << opts->config_path << ": agent.tls: " << message_of(err) << '\n'
              << "fleet-agent: fix the TLS files above\n";
    return 1;
  }
  if (opts->check_config) {
    std::cout << "fleet-agent: " << opts->config_path << " is valid\n";
    return 0;
  }
  init_logging(loaded.config.log_level);
  return run_agent(loaded.config, opts->speak_protocol.value_or(protocol_version));
}
