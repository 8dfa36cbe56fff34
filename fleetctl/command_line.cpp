#include "fleetctl/command_line.hpp"

#include <algorithm>

namespace fleet::ctl {

std::optional<std::string> command_line::option(const std::string& name) const {
  auto i = options.find(name);
  if (i == options.end())
    return std::nullopt;
  return i->second;
}

std::optional<command_line> parse_command_line(const std::vector<std::string>& args,
                                               const std::vector<std::string>& flags,
                                               std::string& problem) {
  command_line out;
  for (size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a.rfind("--", 0) != 0 || a.size() == 2) {
      out.words.push_back(a);
      continue;
    }
    auto name = a.substr(2);
    if (auto eq = name.find('='); eq != std::string::npos) {
      out.options[name.substr(0, eq)] = name.substr(eq + 1);
      continue;
    }
    if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
      out.options[name] = "true";
      continue;
    }
    if (i + 1 >= args.size()) {
      problem = "option --" + name + " needs a value";
      return std::nullopt;
    }
    out.options[name] = args[++i];
  }
  return out;
}

} // namespace fleet::ctl
