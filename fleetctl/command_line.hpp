#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fleet::ctl {

/// A parsed command line: words (command and arguments) and `--name value` options.
/// Options without a value (flags) map to "true".
struct command_line {
  std::vector<std::string> words;
  std::map<std::string, std::string> options;

  [[nodiscard]] bool flag(const std::string& name) const { return options.count(name) > 0; }
  [[nodiscard]] std::optional<std::string> option(const std::string& name) const;
};

/// Splits `args`; `flags` names the options that take no value. Fails with a one-line
/// message for an option missing its value.
[[nodiscard]] std::optional<command_line> parse_command_line(const std::vector<std::string>& args,
                                                             const std::vector<std::string>& flags,
                                                             std::string& problem);

} // namespace fleet::ctl
