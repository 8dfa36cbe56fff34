#include "common/model/event_types.hpp"

#include <algorithm>

namespace fleet {

const std::vector<std::string>& known_event_types() {
  static const std::vector<std::string> types{
      "agent.connected",    "agent.disconnected", "client.created",     "client.deleted",
      "client.limited",     "client.moved",       "client.renewed",     "client.updated",
      "config.reloaded",    "server.disabled",    "server.draining",    "server.enabled",
      "server.evacuated",   "server.evacuating",  "server.healthy",     "server.unhealthy",
      "server.unreachable", "store.backed_up",    "store.backup_failed"};
  return types;
}

bool event_matches(std::string_view pattern, std::string_view type) {
  if (pattern == "*")
    return true;
  if (pattern.size() >= 2 && pattern.substr(pattern.size() - 2) == ".*")
    return type.size() > pattern.size() - 1
           && type.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1);
  return pattern == type;
}

bool event_matches_any(const std::vector<std::string>& patterns, std::string_view type) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [type](const std::string& p) { return event_matches(p, type); });
}

bool valid_event_pattern(std::string_view pattern) {
  const auto& types = known_event_types();
  return std::any_of(types.begin(), types.end(),
                     [pattern](const std::string& t) { return event_matches(pattern, t); });
}

} // namespace fleet
