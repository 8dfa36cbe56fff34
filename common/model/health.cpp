#include "common/model/health.hpp"

#include <array>
#include <utility>

namespace fleet {

namespace {

constexpr std::array<std::pair<server_state, const char*>, 6> state_names{{
    {server_state::unknown, "unknown"},
    {server_state::healthy, "healthy"},
    {server_state::unhealthy, "unhealthy"},
    {server_state::draining, "draining"},
    {server_state::disabled, "disabled"},
    {server_state::unreachable, "unreachable"},
}};

} // namespace

const char* to_string(server_state state) {
  for (const auto& [value, name] : state_names)
    if (value == state)
      return name;
  return "unknown";
}

std::optional<server_state> parse_server_state(const std::string& name) {
  for (const auto& [value, text] : state_names)
    if (name == text)
      return value;
  return std::nullopt;
}

} // namespace fleet
