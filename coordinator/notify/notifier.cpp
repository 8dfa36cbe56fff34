#include "coordinator/notify/notifier.hpp"

#include "coordinator/notify/webhook_actor.hpp"
#include "coordinator/notify/webhook_signature.hpp"

#include <caf/send.hpp>

namespace fleet {

notifier::notifier(const event_log* log)
    : board_(std::make_shared<webhook_board>(log)), telegram_(std::make_shared<telegram_counts>()) {
  // nop
}

void notifier::start(const fleet_config& config, caf::actor_system& sys, store& db,
                     std::shared_ptr<event_feed> feed, http_engine& engine) {
  for (const auto& w : config.coordinator.webhooks) {
    webhook_status row;
    row.url = redact_url(w.url);
    row.events = w.events;
    webhook_setup setup;
    setup.settings = w;
    setup.db = &db;
    setup.feed = feed;
    setup.engine = &engine;
    setup.board = board_;
    setup.index = board_->add(std::move(row));
    actors_.push_back(spawn_webhook(sys, std::move(setup)));
  }
  const auto& telegram = config.coordinator.alerts.telegram;
  if (telegram.bot_token.empty())
    return;
  telegram_setup setup;
  setup.settings = telegram;
  setup.servers = config.servers;
  setup.db = &db;
  setup.feed = std::move(feed);
  setup.engine = &engine;
  setup.counts = telegram_;
  telegram_on_ = true;
  actors_.push_back(spawn_telegram(sys, std::move(setup)));
}

void notifier::stop() {
  for (auto& a : actors_)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  actors_.clear();
}

std::string notifier::metrics_text() const {
  auto out = board_->metrics_text();
  if (telegram_on_)
    out += "# HELP xui_fleet_alerts_total Telegram alert messages by result.\n"
           "# TYPE xui_fleet_alerts_total counter\n"
           "xui_fleet_alerts_total{sink=\"telegram\",result=\"sent\"} "
           + std::to_string(telegram_->sent.load()) + "\n"
           + "xui_fleet_alerts_total{sink=\"telegram\",result=\"dropped\"} "
           + std::to_string(telegram_->failed.load()) + "\n";
  return out;
}

} // namespace fleet
