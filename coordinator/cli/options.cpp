#include "coordinator/cli/options.hpp"

#include <charconv>

namespace fleet {

namespace {

/// `text` as a whole number from 1 to `max`.
std::optional<uint32_t> positive(const std::string& text, uint32_t max) {
  uint32_t x = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc{} || end != text.data() + text.size() || x < 1 || x > max)
    return std::nullopt;
  return x;
}

/// Flags that only make sense together.
caf::error check_combination(const coordinator_options& opts) {
  auto modes = static_cast<int>(!opts.backup_dir.empty())
               + static_cast<int>(!opts.restore_dir.empty())
               + static_cast<int>(!opts.verify_dir.empty());
  if (modes > 1)
    return make_error(ec::invalid_argument,
                      "--backup, --restore and --verify-backup exclude each other");
  if (opts.backup_id != 0 && opts.restore_dir.empty() && opts.verify_dir.empty())
    return make_error(ec::invalid_argument, "--backup-id goes with --restore or --verify-backup");
  if (opts.keep && opts.backup_dir.empty())
    return make_error(ec::invalid_argument, "--keep goes with --backup");
  return caf::none;
}

} // namespace

caf::expected<coordinator_options> parse_options(const std::vector<std::string>& args) {
  auto parsed = parse_flags<coordinator_options>(
      args,
      [](const std::vector<std::string>& all, size_t& i,
         coordinator_options& opts) -> caf::expected<bool> {
        const auto& arg = all[i];
        auto value = [&](const char* what) -> caf::expected<std::string> {
          if (i + 1 >= all.size())
            return make_error(ec::invalid_argument, arg + " needs " + what);
          return all[++i];
        };
        auto number = [&](uint32_t max) -> caf::expected<uint32_t> {
          auto v = value("a number");
          if (!v)
            return std::move(v.error());
          if (auto x = positive(*v, max))
            return *x;
          return make_error(ec::invalid_argument, arg + ": expected a whole number from 1 to "
                                                      + std::to_string(max) + ", got \"" + *v
                                                      + "\"");
        };
        std::string* dir_of = arg == "--data-dir"        ? &opts.data_dir
                              : arg == "--backup"        ? &opts.backup_dir
                              : arg == "--restore"       ? &opts.restore_dir
                              : arg == "--verify-backup" ? &opts.verify_dir
                                                         : nullptr;
        if (dir_of != nullptr || arg == "--probe") {
          auto v = value(arg == "--probe" ? "a server id" : "a directory");
          if (!v)
            return std::move(v.error());
          *(dir_of != nullptr ? dir_of : &opts.probe_id) = *v;
        } else if (arg == "--backup-id" || arg == "--keep") {
          auto n = number(arg == "--keep" ? 1000 : UINT32_MAX);
          if (!n)
            return std::move(n.error());
          if (arg == "--keep")
            opts.keep = *n;
          else
            opts.backup_id = *n;
        } else if (arg == "--json") {
          opts.json = true;
        } else if (arg == "--dry-run") {
          opts.dry_run = true;
        } else {
          return false;
        }
        return true;
      });
  if (parsed)
    if (auto err = check_combination(*parsed))
      return err;
  return parsed;
}

std::string usage() {
  return "usage: fleet-coordinator --config FILE [--check-config | --dry-run | --probe ID "
         "[--json]]\n"
         "       fleet-coordinator --config FILE --backup DIR [--keep N]\n"
         "       fleet-coordinator --config FILE --restore DIR --data-dir NEW [--backup-id N]\n"
         "       fleet-coordinator --config FILE --verify-backup DIR [--backup-id N]\n"
         "\n"
         "  -c, --config FILE      fleet configuration (JSON)\n"
         "      --data-dir DIR     where the fleet's state is kept (RocksDB)\n"
         "  -t, --check-config     validate FILE, print every problem or a fleet summary, exit\n"
         "                         with status 1 on errors\n"
         "      --dry-run          show where sample users would be placed if every enabled\n"
         "                         panel were healthy and empty\n"
         "      --probe ID         log in to panel ID, read its status and inbounds, print a\n"
         "                         summary (--json: one JSON object), exit 1 on failure\n"
         "      --backup DIR       back up the store into DIR (a backup directory, made when\n"
         "                         missing); a running coordinator is asked through its API to\n"
         "                         take it, without stopping; --keep N deletes all but the\n"
         "                         newest N backups there\n"
         "      --restore DIR      restore the newest backup of DIR (or --backup-id N) into\n"
         "                         the data dir, which must be new or empty\n"
         "      --verify-backup DIR  check the newest backup of DIR (or --backup-id N): files\n"
         "                         and checksums, then restore a copy and count its records;\n"
         "                         exit 1 with the reason when it is damaged\n"
         "  -h, --help             this text\n"
         "      --version          print the version\n"
         "\n"
         "Environment: XUI_SERVER_<ID>_PASSWORD, XUI_SERVER_<ID>_API_TOKEN and FLEET_API_TOKEN\n"
         "override the secrets of the config file.\n"
         "\n"
         "SIGHUP (or POST /api/v1/admin/reload) rereads FILE: servers, credentials, tokens and\n"
         "health checks change in place; a file with errors changes nothing.\n";
}

} // namespace fleet
