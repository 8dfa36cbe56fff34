#include "coordinator/notify/telegram_actor.hpp"

#include "common/logging.hpp"
#include "common/panel/http_engine.hpp"
#include "coordinator/notify/alert_coalescer.hpp"
#include "coordinator/notify/feed_wake.hpp"
#include "coordinator/notify/retry_backoff.hpp"
#include "coordinator/store/store.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include <deque>
#include <optional>

namespace fleet {

namespace {

using wake_atom = caf::atom_constant<caf::atom("tgwake")>;
constexpr wake_atom wake_atom_v{};
using tick_atom = caf::atom_constant<caf::atom("tgtick")>;
constexpr tick_atom tick_atom_v{};
using done_atom = caf::atom_constant<caf::atom("tgdone")>;
constexpr done_atom done_atom_v{};
using retry_atom = caf::atom_constant<caf::atom("tgretry")>;
constexpr retry_atom retry_atom_v{};

/// Attempts at one message before it is dropped (alerts are about now, not history).
constexpr int64_t max_attempts = 5;
constexpr millis first_retry{2'000};
constexpr millis last_retry{60'000};

struct telegram_state {
  telegram_setup setup;
  std::optional<alert_coalescer> alerts;
  uint64_t cursor = 0;
  http_engine::session_id session = 0;
  std::deque<std::string> outbox;
  bool in_flight = false;
  bool waiting_retry = false;
  bool waiting_feed = false;
  int64_t attempts = 0;
  /// When the pending tick fires (steady ms); none planned when empty.
  std::optional<int64_t> tick_at;
  std::shared_ptr<spdlog::logger> log = log_for("telegram");
  static inline const char* name = "fleet.telegram";
};

using telegram_actor = caf::stateful_actor<telegram_state>;

int64_t steady_ms(const telegram_state& st) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             st.setup.time->steady().time_since_epoch())
      .count();
}

void send_next(telegram_actor* self) {
  auto& st = self->state;
  if (st.in_flight || st.waiting_retry || st.outbox.empty())
    return;
  const auto& t = st.setup.settings;
  http_request req;
  req.method = "POST";
  req.url = t.api_base + "/bot" + t.bot_token + "/sendMessage";
  req.headers = {"Content-Type: application/json"};
  req.body = nlohmann::json{{"chat_id", t.chat_id}, {"text", st.outbox.front()}}.dump();
  req.timeout = millis{10'000};
  st.in_flight = true;
  auto weak = caf::actor_cast<caf::weak_actor_ptr>(self);
  st.setup.engine->submit(st.session, std::move(req), [weak](http_response r) {
    if (auto strong = weak.lock())
      caf::anon_send(caf::actor_cast<caf::actor>(strong), done_atom_v, r.transport_code,
                     r.transport_error, static_cast<int64_t>(r.status), r.body);
  });
}

/// Queues what is due and plans the next look.
void flush(telegram_actor* self) {
  auto& st = self->state;
  auto now = steady_ms(st);
  if (auto text = st.alerts->due(now)) {
    st.log->info("alert: {}", *text);
    st.outbox.push_back(std::move(*text));
  }
  if (auto next = st.alerts->next_due(); next && (!st.tick_at || *next < *st.tick_at)) {
    st.tick_at = *next;
    self->delayed_send(self, millis{std::max<int64_t>(*next - now, 0)}, tick_atom_v);
  }
  send_next(self);
}

void follow(telegram_actor* self) {
  auto& st = self->state;
  auto events = st.setup.db->events_after(st.cursor, 500);
  if (!events) {
    st.log->error("reading the event log: {}", message_of(events.error()));
    self->delayed_send(self, first_retry, wake_atom_v);
    return;
  }
  auto now = steady_ms(st);
  for (const auto& e : *events) {
    st.cursor = e.seq;
    if (e.type == "server.unhealthy" || e.type == "server.unreachable")
      st.alerts->observe(e.server_id, true, now);
    else if (e.type == "server.healthy")
      st.alerts->observe(e.server_id, false, now);
  }
  flush(self);
  if (events->size() == 500)
    return self->send(self, wake_atom_v);
  // A closed feed wakes at once, for good: the coordinator is stopping.
  if (st.waiting_feed || st.setup.feed->closed())
    return;
  st.waiting_feed = true;
  wake_after<wake_atom>(self, *st.setup.feed, st.cursor);
}

void on_done(telegram_actor* self, int code, const std::string& error, int64_t status,
             const std::string& body) {
  auto& st = self->state;
  st.in_flight = false;
  if (code == 0 && status >= 200 && status < 300) {
    ++st.setup.counts->sent;
    st.outbox.pop_front();
    st.attempts = 0;
    return send_next(self);
  }
  const auto& token = st.setup.settings.bot_token;
  std::string why = code != 0 ? "no answer: " + error : "HTTP " + std::to_string(status);
  auto answer = nlohmann::json::parse(body, nullptr, false);
  if (answer.is_object() && answer.value("description", nlohmann::json{}).is_string())
    why += " (" + answer["description"].get<std::string>() + ")";
  why = scrub(why, token);
  auto delay = retry_delay(first_retry, last_retry, ++st.attempts, 0.5);
  // 429 says how long to wait.
  if (answer.is_object() && answer.contains("parameters")
      && answer["parameters"].value("retry_after", nlohmann::json{}).is_number_integer())
    delay = std::max(delay, millis{answer["parameters"]["retry_after"].get<int64_t>() * 1000});
  if (st.attempts >= max_attempts) {
    ++st.setup.counts->failed;
    st.log->error("alert dropped after {} attempts: {}", st.attempts, why);
    st.outbox.pop_front();
    st.attempts = 0;
    return send_next(self);
  }
  st.log->warn("sending an alert failed ({}); retrying in {}", why, format_duration(delay));
  st.waiting_retry = true;
  self->delayed_send(self, delay, retry_atom_v);
}

caf::behavior telegram_behavior(telegram_actor* self, telegram_setup setup) {
  auto& st = self->state;
  st.setup = std::move(setup);
  const auto& t = st.setup.settings;
  st.alerts.emplace(alert_timing{t.group_window.count(), t.hold_down.count()});
  std::map<std::string, server_state> last;
  if (auto saved = st.setup.db->servers())
    for (const auto& r : *saved)
      last[r.id] = r.health.state;
  for (const auto& s : st.setup.servers)
    if (s.enabled) {
      auto i = last.find(s.id);
      auto down
          = i != last.end()
            && (i->second == server_state::unhealthy || i->second == server_state::unreachable);
      st.alerts->track(s.id, s.name, down);
    }
  st.cursor = st.setup.db->last_event_seq();
  st.session = st.setup.engine->open_session();
  auto* engine = st.setup.engine;
  auto session = st.session;
  self->attach_functor([engine, session] { engine->close_session(session); });
  st.log->info("alerts go to Telegram chat {} through {}", t.chat_id, t.api_base);
  self->send(self, wake_atom_v);
  return {
      [self](wake_atom) {
        self->state.waiting_feed = false;
        follow(self);
      },
      [self](tick_atom) {
        self->state.tick_at.reset();
        flush(self);
      },
      [self](retry_atom) {
        self->state.waiting_retry = false;
        send_next(self);
      },
      [self](done_atom, int code, const std::string& error, int64_t status,
             const std::string& body) { on_done(self, code, error, status, body); },
  };
}

} // namespace

std::string scrub(std::string text, const std::string& secret) {
  if (secret.empty())
    return text;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos))
    text.replace(pos, secret.size(), "<redacted>");
  return text;
}

caf::actor spawn_telegram(caf::actor_system& sys, telegram_setup setup) {
  return sys.spawn(telegram_behavior, std::move(setup));
}

} // namespace fleet
