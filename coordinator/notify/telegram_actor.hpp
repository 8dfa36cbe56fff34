#pragma once

#include "common/clock.hpp"
#include "common/config/config.hpp"
#include "coordinator/events/event_feed.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <atomic>
#include <memory>

namespace fleet {

class http_engine;
class store;

/// Messages the Telegram sink sent and gave up on, for `/metrics`. Thread-safe.
struct telegram_counts {
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> failed{0};
};

/// What the Telegram sink is started with; `db`, `engine` and `time` must outlive it.
struct telegram_setup {
  telegram_settings settings;
  /// The fleet's servers: enabled ones are tracked, by name.
  std::vector<server_config> servers;
  store* db = nullptr;
  std::shared_ptr<event_feed> feed;
  http_engine* engine = nullptr;
  std::shared_ptr<telegram_counts> counts;
  const clock* time = &real_clock();
};

/// Spawns the Telegram alert sink: it follows the event log from the newest event,
/// turns `server.unhealthy` / `server.unreachable` / `server.healthy` into grouped,
/// rate-limited messages (`alert_coalescer`) and sends them with the Bot API's
/// `sendMessage`, retrying a few times. The bot token is part of the request URL only:
/// logs and errors never show it.
[[nodiscard]] caf::actor spawn_telegram(caf::actor_system& sys, telegram_setup setup);

/// `text` with every occurrence of `secret` replaced by "<redacted>".
[[nodiscard]] std::string scrub(std::string text, const std::string& secret);

} // namespace fleet
