#include "coordinator/cli/options.hpp"

namespace fleet {

caf::expected<coordinator_options> parse_options(const std::vector<std::string>& args) {
  return parse_flags<coordinator_options>(
      args,
      [](const std::vector<std::string>& all, size_t& i,
         coordinator_options& opts) -> caf::expected<bool> {
        const auto& arg = all[i];
        auto value = [&](const char* what) -> caf::expected<std::string> {
          if (i + 1 >= all.size())
            return make_error(ec::invalid_argument, arg + " needs " + what);
          return all[++i];
        };
        if (arg == "--data-dir" || arg == "--probe") {
          auto v = value(arg == "--data-dir" ? "a directory" : "a server id");
          if (!v)
            return std::move(v.error());
          (arg == "--data-dir" ? opts.data_dir : opts.probe_id) = *v;
        } else if (arg == "--json") {
          opts.json = true;
        } else if (arg == "--dry-run") {
          opts.dry_run = true;
        } else {
          return false;
        }
        return true;
      });
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
