#include "coordinator/registry/health_flags.hpp"

#include <array>

namespace fleet {

namespace {

constexpr std::array<health_flag, 4> all_flags{
    health_flag::unchecked,
    health_flag::active_check_failed,
    health_flag::passive_failure,
    health_flag::agent_lost,
};

} // namespace

const char* to_string(health_flag flag) {
  switch (flag) {
  case health_flag::unchecked:
    return "unchecked";
  case health_flag::active_check_failed:
    return "active_check_failed";
  case health_flag::passive_failure:
    return "passive_failure";
  case health_flag::agent_lost:
    return "agent_lost";
  }
  return "unknown";
}

std::vector<std::string> health_flags::names() const {
  std::vector<std::string> out;
  for (auto flag : all_flags)
    if (has(flag))
      out.emplace_back(to_string(flag));
  return out;
}

} // namespace fleet
