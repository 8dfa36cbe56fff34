#include "common/cli_flags.hpp"

namespace fleet {

caf::expected<bool> take_common_flag(const std::vector<std::string>& args, size_t& i,
                                     common_flags& out) {
  const auto& arg = args[i];
  if (arg == "--config" || arg == "-c") {
    if (i + 1 >= args.size())
      return make_error(ec::invalid_argument, arg + " needs a file name");
    out.config_path = args[++i];
  } else if (arg.rfind("--config=", 0) == 0) {
    out.config_path = arg.substr(9);
  } else if (arg == "--check-config" || arg == "-t") {
    out.check_config = true;
  } else if (arg == "--help" || arg == "-h") {
    out.help = true;
  } else if (arg == "--version") {
    out.version = true;
  } else {
    return false;
  }
  return true;
}

caf::error require_config(const common_flags& flags) {
  if (!flags.help && !flags.version && flags.config_path.empty())
    return make_error(ec::invalid_argument, "--config FILE is required; see --help");
  return caf::none;
}

} // namespace fleet
