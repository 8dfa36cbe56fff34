#pragma once

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/exit_reason.hpp>
#include <caf/system_messages.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

namespace fleet {

/// How long a failed probe stays down before it is started again.
constexpr std::chrono::seconds probe_restart_delay{1};

/// Self message of a probe's supervisor: start the probe of server `id` again.
using restart_probe_atom = caf::atom_constant<caf::atom("restartpr")>;
constexpr restart_probe_atom restart_probe_atom_v{};

/// Makes `self` supervise the probes it spawned linked (`self->state.probes`, by server id):
/// a probe that fails is logged and, `probe_restart_delay` later, `self` receives
/// `(restart_probe_atom, id)` to start it again, instead of failing with it. An exit message
/// from anything else (a shutdown request) ends `self`.
template <class Self>
void supervise_probes(Self* self) {
  self->set_exit_handler([self](caf::exit_msg& msg) {
    auto& s = self->state;
    for (const auto& [id, p] : s.probes) {
      if (p.address() != msg.source)
        continue;
      s.log->error("the probe of server {} failed ({}); starting it again in {} s", id,
                   caf::to_string(msg.reason), probe_restart_delay.count());
      self->delayed_send(self, probe_restart_delay, restart_probe_atom_v, id);
      return;
    }
    self->quit(msg.reason);
  });
}

} // namespace fleet
