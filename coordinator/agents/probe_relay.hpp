#pragma once

#include "common/protocol.hpp"

#include <caf/actor.hpp>
#include <caf/typed_actor.hpp>

#include <string>

namespace fleet {

/// Whether `err` says that the agent of a server was lost while a request ran there: the
/// request may or may not have reached the panel (see `probe_relay`).
[[nodiscard]] bool agent_lost(const caf::error& err);

/// The failure of a panel operation on `server_id` as the coordinator handles it. CAF's own
/// errors for a probe (or relay, or agent link) that is gone, such as
/// `sec::request_receiver_down`, mean the request never reached it: they become
/// `panel_unreachable` with details `{"reason": "probe_down", "server": SERVER_ID}`, which
/// callers may retry. Every other error passes unchanged.
[[nodiscard]] caf::error panel_failure(caf::error err, const std::string& server_id);

/// The probe of a server behind an agent, as the coordinator talks to it: every request is
/// passed to `remote` (the agent's probe across the link) and its answer passed back. CAF
/// does not answer requests that were in flight when the link to a node broke, so when
/// `remote` goes down (agent killed, frozen past the link's timeout, connection lost) every
/// request still waiting here fails with `panel_unreachable` and details `{"reason":
/// "agent_lost", "agent": AGENT}` (`agent_lost` is true for it), and the relay ends. It also
/// ends when `owner` does.
[[nodiscard]] probe_actor spawn_probe_relay(caf::actor_system& sys, probe_actor remote,
                                            caf::actor owner, std::string server_id,
                                            std::string agent_id);

} // namespace fleet
