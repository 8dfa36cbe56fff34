#pragma once

#include "common/error.hpp"

#include <string>
#include <vector>

namespace fleet {

/// The flags every fleet program takes.
struct common_flags {
  std::string config_path;
  /// Validate the config, print problems (or a summary), exit.
  bool check_config = false;
  bool help = false;
  bool version = false;
};

/// Reads `args[i]` when it is a common flag (`--config FILE`, `-c FILE`, `--config=FILE`,
/// `--check-config`, `-t`, `--help`, `-h`, `--version`), moving `i` past its value. Returns
/// whether it was one, or the error of a flag without its value.
[[nodiscard]] caf::expected<bool> take_common_flag(const std::vector<std::string>& args, size_t& i,
                                                   common_flags& out);

/// The error of a command line without `--config` that asks for neither help nor the
/// version; nothing otherwise.
[[nodiscard]] caf::error require_config(const common_flags& flags);

/// Parses `args` into `Options` (a `common_flags`): the common flags here, the program's own
/// through `own(args, i, opts)`, which returns whether it took `args[i]` (moving `i` past a
/// value) or the error of a bad value. Anything else is an unknown option.
template <class Options, class Own>
caf::expected<Options> parse_flags(const std::vector<std::string>& args, Own own) {
  Options opts;
  for (size_t i = 0; i < args.size(); ++i) {
    auto common = take_common_flag(args, i, opts);
    if (!common)
      return std::move(common.error());
    if (*common)
      continue;
    caf::expected<bool> mine = own(args, i, opts);
    if (!mine)
      return std::move(mine.error());
    if (!*mine)
      return make_error(ec::invalid_argument, "unknown option " + args[i] + "; see --help");
  }
  if (auto err = require_config(opts))
    return err;
  return opts;
}

} // namespace fleet
