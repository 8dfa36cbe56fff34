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

const char* to_string(admin_state admin) {
  switch (admin) {
  case admin_state::draining:
    return "draining";
  case admin_state::disabled:
    return "disabled";
  case admin_state::active:
    break;
  }
  return "active";
}

std::optional<admin_state> parse_admin_state(const std::string& name) {
  for (auto a : {admin_state::active, admin_state::draining, admin_state::disabled})
    if (name == to_string(a))
      return a;
  return std::nullopt;
}

const char* to_string(check_verdict v) {
  switch (v) {
  case check_verdict::passed:
    return "passed";
  case check_verdict::network_failure:
    return "network_failure";
  case check_verdict::auth_failure:
    return "auth_failure";
  case check_verdict::xray_down:
    return "xray_down";
  }
  return "unknown";
}

std::optional<server_state> parse_server_state(const std::string& name) {
  for (const auto& [value, text] : state_names)
    if (name == text)
      return value;
  return std::nullopt;
}

} // namespace fleet
