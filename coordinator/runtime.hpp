#pragma once

#include "common/config/config.hpp"
#include "common/panel/http_engine.hpp"
#include "common/protocol.hpp"
#include "coordinator/events/event_feed.hpp"
#include "coordinator/notify/notifier.hpp"
#include "coordinator/store/store.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <memory>
#include <string>

namespace fleet {

/// A running coordinator: the store, the HTTP engine, the actor system and the coordinator
/// actor (with its probes). Used by the daemon, and by tests that need the real thing.
///
/// Lifecycle: `start` once; `stop` (or destruction) ends the actors, then the system, then
/// the engine and the store, in that order. Not thread-safe.
class runtime {
public:
  runtime() = default;
  ~runtime();

  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  /// Opens the store in `data_dir`, restores the fleet's state and spawns the actors.
  [[nodiscard]] caf::error start(const fleet_config& config, const std::string& data_dir);

  /// Ends everything; safe to call twice.
  void stop();

  [[nodiscard]] caf::actor_system& system() { return *system_; }
  [[nodiscard]] const caf::actor& coordinator() const { return coordinator_; }
  [[nodiscard]] store& db() { return *store_; }
  /// The port agents connect to; 0 without `agent_listen`.
  [[nodiscard]] uint16_t agent_port() const { return agent_port_; }
  /// Wakes readers of the event log.
  [[nodiscard]] const std::shared_ptr<event_feed>& events() const { return feed_; }
  /// Webhooks and alerts (their statuses for the API).
  [[nodiscard]] std::shared_ptr<const notifier> notifications() const { return notify_; }

private:
  std::unique_ptr<store> store_;
  std::unique_ptr<http_engine> engine_;
  std::unique_ptr<caf::actor_system_config> cfg_;
  std::unique_ptr<caf::actor_system> system_;
  caf::actor coordinator_;
  /// What agents reach over the network (only with `agent_listen`).
  gate_actor gate_;
  uint16_t agent_port_ = 0;
  std::shared_ptr<event_feed> feed_;
  std::shared_ptr<notifier> notify_;
};

} // namespace fleet
