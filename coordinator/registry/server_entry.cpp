#include "coordinator/registry/server_entry.hpp"

namespace fleet {

server_state server_entry::state() const noexcept {
  if (admin == admin_state::disabled)
    return server_state::disabled;
  if (admin == admin_state::draining)
    return server_state::draining;
  if (flags.has(health_flag::agent_lost))
    return server_state::unreachable;
  if (flags.has(health_flag::active_check_failed) || flags.has(health_flag::passive_failure))
    return server_state::unhealthy;
  if (flags.has(health_flag::unchecked))
    return server_state::unknown;
  return server_state::healthy;
}

} // namespace fleet
