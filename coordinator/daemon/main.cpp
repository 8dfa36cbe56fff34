// fleet-coordinator: owns a fleet of 3X-UI panels. This file only wires the parts together.

#include "common/config/config.hpp"
#include "common/logging.hpp"
#include "coordinator/cli/backup_commands.hpp"
#include "coordinator/cli/config_report.hpp"
#include "coordinator/cli/dry_run.hpp"
#include "coordinator/cli/options.hpp"
#include "coordinator/cli/probe.hpp"
#include "coordinator/daemon/daemon.hpp"
#include "coordinator/selector/selector_registry.hpp"

#include <iostream>

int main(int argc, char** argv) {
  using namespace fleet;
  auto opts = parse_options({argv + 1, argv + argc});
  if (!opts) {
    std::cerr << "fleet-coordinator: " << message_of(opts.error()) << '\n';
    return 2;
  }
  if (opts->help) {
    std::cout << usage();
    return 0;
  }
  if (opts->version) {
    std::cout << "fleet-coordinator 0.1.0\n";
    return 0;
  }
  auto registry = builtin_selector_registry();
  auto loaded = load_config_file(opts->config_path, process_env(), {registry.names()});
  print_problems(std::cerr, opts->config_path, loaded.problems);
  if (has_errors(loaded.problems)) {
    std::cerr << "fleet-coordinator: config " << opts->config_path
              << " is not valid; fix the errors above\n";
    return 1;
  }
  if (!opts->probe_id.empty())
    return run_probe(std::cout, std::cerr, loaded.config, opts->probe_id, opts->json);
  auto data_dir = opts->data_dir.empty() ? loaded.config.coordinator.data_dir : opts->data_dir;
  if (!opts->backup_dir.empty())
    return run_backup(std::cout, std::cerr, loaded.config, process_env(), data_dir,
                      opts->backup_dir, opts->keep);
  if (!opts->restore_dir.empty())
    return run_restore(std::cout, std::cerr, opts->restore_dir, opts->backup_id, data_dir);
  if (!opts->verify_dir.empty())
    return run_verify_backup(std::cout, std::cerr, opts->verify_dir, opts->backup_id);
  if (opts->check_config) {
    print_summary(std::cout, loaded.config);
    return 0;
  }
  if (opts->dry_run) {
    print_summary(std::cout, loaded.config);
    std::cout << '\n';
    print_dry_run(std::cout, loaded.config);
    return 0;
  }
  init_logging(loaded.config.log_level);
  return run_daemon(loaded.config, data_dir,
                    {opts->config_path, process_env(), {registry.names()}});
}
