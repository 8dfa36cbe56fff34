// fleetctl: a command-line client of fleet-coordinator's HTTP API, for people and scripts.

#include <cstdlib>
#include <iostream>

#include "fleetctl/api_client.hpp"
#include "fleetctl/command_line.hpp"
#include "fleetctl/commands.hpp"

int main(int argc, char** argv) {
  using namespace fleet::ctl;
  std::string problem;
  auto cmd = parse_command_line(
      {argv + 1, argv + argc},
      {"json", "follow", "all", "enable", "disable", "reset-usage", "help"}, problem);
  if (!cmd) {
    std::cerr << "fleetctl: " << problem << " (see fleetctl --help)\n";
    return usage_error;
  }
  if (cmd->flag("help") || (!cmd->words.empty() && cmd->words.front() == "help")) {
    std::cout << usage();
    return ok;
  }
  auto env = [](const char* name, const char* fallback) {
    const auto* v = std::getenv(name);
    return std::string{v != nullptr && *v != '\0' ? v : fallback};
  };
  auto url = cmd->option("url").value_or(env("FLEET_URL", "http://127.0.0.1:8080"));
  auto token = cmd->option("token").value_or(env("FLEET_API_TOKEN", ""));
  api_client api{url, token};
  return run_command(*cmd, api, std::cout, std::cerr);
}
