#include "coordinator/cli/options.hpp"

namespace fleet {

caf::expected<coordinator_options> parse_options(const std::vector<std::string>& args) {
  coordinator_options opts;
  for (size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--config" || arg == "-c") {
      if (i + 1 >= args.size())
        return make_error(ec::invalid_argument, arg + " needs a file name");
      opts.config_path = args[++i];
    } else if (arg.rfind("--config=", 0) == 0) {
      opts.config_path = arg.substr(9);
    } else if (arg == "--check-config" || arg == "-t") {
      opts.check_config = true;
    } else if (arg == "--data-dir") {
      if (i + 1 >= args.size())
        return make_error(ec::invalid_argument, "--data-dir needs a directory");
      opts.data_dir = args[++i];
    } else if (arg == "--probe") {
      if (i + 1 >= args.size())
        return make_error(ec::invalid_argument, "--probe needs a server id");
      opts.probe_id = args[++i];
    } else if (arg == "--json") {
      opts.json = true;
    } else if (arg == "--dry-run") {
      opts.dry_run = true;
    } else if (arg == "--help" || arg == "-h") {
      opts.help = true;
    } else if (arg == "--version") {
      opts.version = true;
    } else {
      return make_error(ec::invalid_argument, "unknown option " + arg + "; see --help");
    }
  }
  if (!opts.help && !opts.version && opts.config_path.empty())
    return make_error(ec::invalid_argument, "--config FILE is required; see --help");
  return opts;
}

std::string usage() {
  return "usage: fleet-coordinator --config FILE [--check-config | --dry-run | --probe ID "
         "[--json]]\n"
         "\n"
         "  -c, --config FILE   fleet configuration (JSON)\n"
         "      --data-dir DIR  where the fleet's state is kept (RocksDB)\n"
         "  -t, --check-config  validate FILE, print every problem or a fleet summary, exit\n"
         "                      with status 1 on errors\n"
         "      --dry-run       show where sample users would be placed if every enabled\n"
         "                      panel were healthy and empty\n"
         "      --probe ID      log in to panel ID, read its status and inbounds, print a\n"
         "                      summary (--json: one JSON object), exit 1 on failure\n"
         "  -h, --help          this text\n"
         "      --version       print the version\n"
         "\n"
         "Environment: XUI_SERVER_<ID>_PASSWORD, XUI_SERVER_<ID>_API_TOKEN and FLEET_API_TOKEN\n"
         "override the secrets of the config file.\n";
}

} // namespace fleet
