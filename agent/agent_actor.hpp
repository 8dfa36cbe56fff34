#pragma once

#include "common/config/config.hpp"
#include "common/panel/http_engine.hpp"
#include "common/protocol.hpp"

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <map>
#include <memory>
#include <random>
#include <string>

namespace spdlog {
class logger;
} // namespace spdlog

namespace fleet {

/// State of an agent: its panels' probes, their latest reports and the link to the
/// coordinator.
struct agent_state {
  static inline const char* name = "agent";

  agent_settings settings;
  management_settings management;
  /// The protocol version this agent announces (differs from `protocol_version` only in
  /// compatibility tests).
  uint32_t version = protocol_version;
  /// The panels this agent serves, by server id.
  std::map<std::string, server_config> servers;
  std::map<std::string, probe_actor> probes;
  /// The latest report of every panel, sent again after every (re)connection.
  std::map<std::string, health_report> latest;
  /// CAF's connector for the link (TLS or plain).
  caf::actor connector;
  /// The coordinator's gate while connected.
  gate_actor gate;
  /// Registered with the coordinator: reports flow.
  bool registered = false;
  /// Failed connection attempts in a row.
  int attempt = 0;
  /// A connection attempt is scheduled.
  bool dial_pending = false;
  std::mt19937_64 rng{std::random_device{}()};
  std::shared_ptr<spdlog::logger> log;
};

using agent_self = caf::stateful_actor<agent_state>;

/// The agent actor: runs one (linked, restarted on failure) probe per served panel, connects
/// to the coordinator asynchronously over the link, says hello with its id and protocol
/// version, registers its probes and forwards every health report. When the link breaks
/// (coordinator gone, restarted or frozen past the heartbeat timeout) it keeps probing and
/// connects again with growing, jittered delays, then sends the latest report of every
/// panel. A refusal by the coordinator (unknown id, other protocol version) ends the actor
/// with that error: retrying cannot help until the operator acts. `engine` must outlive it.
caf::behavior agent(agent_self* self, fleet_config config, uint32_t version, caf::actor connector,
                    http_engine* engine);

} // namespace fleet
