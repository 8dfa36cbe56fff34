#pragma once

#include "common/clock.hpp"
#include "common/config/notify_settings.hpp"
#include "coordinator/events/event_feed.hpp"
#include "coordinator/notify/webhook_board.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <memory>

namespace fleet {

class http_engine;
class store;

/// What a webhook's actor is started with; `db`, `engine` and `time` must outlive it.
struct webhook_setup {
  webhook_settings settings;
  store* db = nullptr;
  std::shared_ptr<event_feed> feed;
  http_engine* engine = nullptr;
  std::shared_ptr<webhook_board> board;
  /// Its row on the board.
  size_t index = 0;
  const clock* time = &real_clock();
};

/// The name of a webhook's cursor in the store: derived from its URL, so reordering the
/// configuration keeps every cursor.
[[nodiscard]] std::string webhook_cursor_name(const webhook_settings& w);

/// Spawns the actor that delivers the event log to one webhook: from its stored cursor (a
/// new webhook starts at the newest event), each matching event in `seq` order, the next
/// only after the receiver answered 2xx, retried with capped exponential backoff with
/// jitter while it fails. The cursor is stored after each delivery, so a restart resends at
/// most the event in flight. Never blocks: the engine sends, the feed wakes it.
[[nodiscard]] caf::actor spawn_webhook(caf::actor_system& sys, webhook_setup setup);

} // namespace fleet
