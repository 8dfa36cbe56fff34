#include "agent/agent_options.hpp"

#include <algorithm>
#include <cctype>

namespace fleet {

caf::expected<agent_options> parse_agent_options(const std::vector<std::string>& args) {
  return parse_flags<agent_options>(
      args,
      [](const std::vector<std::string>& all, size_t& i,
         agent_options& opts) -> caf::expected<bool> {
        if (all[i] != "--speak-protocol")
          return false;
        auto number = [](const std::string& text) {
          return !text.empty() && text.size() <= 9
                 && std::all_of(text.begin(), text.end(),
                                [](unsigned char c) { return std::isdigit(c) != 0; });
        };
        if (i + 1 >= all.size() || !number(all[i + 1]))
          return make_error(ec::invalid_argument, "--speak-protocol needs a version number");
        opts.speak_protocol = static_cast<uint32_t>(std::stoul(all[++i]));
        return true;
      });
}

std::string agent_usage() {
  return "usage: fleet-agent --config FILE [--check-config]\n"
         "\n"
         "Runs the probes of the panels in FILE near them and serves them to the coordinator\n"
         "named in its \"agent\" section, over mutual TLS.\n"
         "\n"
         "  -c, --config FILE   agent configuration (JSON: \"agent\", \"xui_servers\",\n"
         "                      \"server_management\")\n"
         "  -t, --check-config  validate FILE and the TLS files, print every problem, exit\n"
         "                      with status 1 on errors\n"
         "      --speak-protocol N\n"
         "                      announce protocol version N (to test the coordinator's\n"
         "                      refusal of other versions)\n"
         "  -h, --help          this text\n"
         "      --version       print the version\n"
         "\n"
         "Environment: XUI_SERVER_<ID>_PASSWORD and XUI_SERVER_<ID>_API_TOKEN override the\n"
         "panel secrets of the config file.\n";
}

} // namespace fleet
