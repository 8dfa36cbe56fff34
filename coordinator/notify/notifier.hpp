#pragma once

#include "common/config/config.hpp"
#include "coordinator/events/event_feed.hpp"
#include "coordinator/notify/telegram_actor.hpp"
#include "coordinator/notify/webhook_board.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <memory>
#include <string>
#include <vector>

namespace fleet {

class http_engine;
class store;

/// The coordinator's outbound notifications: one actor per webhook and the Telegram sink,
/// all reading the event log. Lifecycle: `start` once; `stop` ends the actors (before the
/// actor system, the engine and the store go). Not thread-safe; `board` and `metrics_text`
/// may be read from any thread.
class notifier {
public:
  explicit notifier(const event_log* log);

  /// Spawns an actor per configured webhook and, with a bot token, the Telegram sink.
  void start(const fleet_config& config, caf::actor_system& sys, store& db,
             std::shared_ptr<event_feed> feed, http_engine& engine);

  void stop();

  [[nodiscard]] const std::shared_ptr<webhook_board>& board() const { return board_; }

  /// Deliveries, lag and alerts in the Prometheus text format.
  [[nodiscard]] std::string metrics_text() const;

private:
  std::shared_ptr<webhook_board> board_;
  std::shared_ptr<telegram_counts> telegram_;
  bool telegram_on_ = false;
  std::vector<caf::actor> actors_;
};

} // namespace fleet
