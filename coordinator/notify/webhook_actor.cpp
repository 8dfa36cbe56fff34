#include "coordinator/notify/webhook_actor.hpp"

#include "common/logging.hpp"
#include "common/panel/http_engine.hpp"
#include "coordinator/events/event_json.hpp"
#include "coordinator/notify/feed_wake.hpp"
#include "coordinator/notify/retry_backoff.hpp"
#include "coordinator/notify/webhook_queue.hpp"
#include "coordinator/notify/webhook_signature.hpp"
#include "coordinator/store/store.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <random>

namespace fleet {

namespace {

using wake_atom = caf::atom_constant<caf::atom("whwake")>;
constexpr wake_atom wake_atom_v{};
using done_atom = caf::atom_constant<caf::atom("whdone")>;
constexpr done_atom done_atom_v{};
using retry_atom = caf::atom_constant<caf::atom("whretry")>;
constexpr retry_atom retry_atom_v{};

/// Events read from the log at a time.
constexpr size_t page = 100;

struct webhook_state {
  webhook_setup setup;
  std::optional<webhook_queue> queue;
  std::string cursor_name;
  uint64_t stored_cursor = 0;
  http_engine::session_id session = 0;
  bool in_flight = false;
  bool waiting_retry = false;
  bool waiting_feed = false;
  int64_t attempts = 0;
  std::mt19937_64 rng{std::random_device{}()};
  std::shared_ptr<spdlog::logger> log = log_for("webhook");
  static inline const char* name = "fleet.webhook";
};

using webhook_actor = caf::stateful_actor<webhook_state>;

void pump(webhook_actor* self);

void store_cursor(webhook_actor* self) {
  auto& st = self->state;
  auto cursor = st.queue->cursor();
  if (cursor == st.stored_cursor)
    return;
  if (auto err = st.setup.db->put_cursor(st.cursor_name, cursor))
    st.log->error("{}: {}", redact_url(st.setup.settings.url), message_of(err));
  else
    st.stored_cursor = cursor;
  st.setup.board->update(st.setup.index, [cursor](webhook_status& w) { w.cursor = cursor; });
}

void retry_later(webhook_actor* self, const std::string& why) {
  auto& st = self->state;
  const auto& w = st.setup.settings;
  ++st.attempts;
  std::uniform_real_distribution<double> unit{0.0, 1.0};
  auto delay = retry_delay(w.retry_min, w.retry_max, st.attempts, unit(st.rng));
  auto now = st.setup.time->wall_ms();
  auto seq = st.queue->head() != nullptr ? st.queue->head()->seq : 0;
  st.setup.board->update(st.setup.index, [&](webhook_status& s) {
    s.pending_seq = seq;
    s.attempts = st.attempts;
    s.last_error = why;
    s.last_error_ms = now;
    s.next_attempt_ms = now + delay.count();
    ++s.failed;
  });
  // The first failure of an event is worth a warning; the retries that follow are not.
  if (st.attempts == 1)
    st.log->warn("{}: event {} not delivered ({}); retrying with backoff", redact_url(w.url), seq,
                 why);
  else
    st.log->debug("{}: event {} attempt {} failed ({}); next in {}", redact_url(w.url), seq,
                  st.attempts, why, format_duration(delay));
  st.waiting_retry = true;
  self->delayed_send(self, delay, retry_atom_v);
}

void send_head(webhook_actor* self) {
  auto& st = self->state;
  const auto& e = *st.queue->head();
  const auto& w = st.setup.settings;
  http_request req;
  req.method = "POST";
  req.url = w.url;
  req.body = event_json(e).dump();
  req.timeout = w.timeout;
  auto t = st.setup.time->wall_ms() / 1000;
  req.headers = {"Content-Type: application/json", "User-Agent: xui-fleet-webhook",
                 "X-Fleet-Event-Seq: " + std::to_string(e.seq), "X-Fleet-Event-Type: " + e.type,
                 "X-Fleet-Signature: " + signature_header(w.secret, t, req.body)};
  st.in_flight = true;
  auto weak = caf::actor_cast<caf::weak_actor_ptr>(self);
  auto seq = e.seq;
  st.setup.engine->submit(st.session, std::move(req), [weak, seq](http_response r) {
    if (auto strong = weak.lock())
      caf::anon_send(caf::actor_cast<caf::actor>(strong), done_atom_v, seq, r.transport_code,
                     r.transport_error, static_cast<int64_t>(r.status));
  });
}

void pump(webhook_actor* self) {
  auto& st = self->state;
  if (st.in_flight || st.waiting_retry)
    return;
  if (st.queue->head() == nullptr) {
    auto events = st.setup.db->events_after(st.queue->read_to(), page);
    if (!events) {
      retry_later(self, "reading the event log: " + message_of(events.error()));
      return;
    }
    st.queue->add(*events);
    store_cursor(self);
    if (st.queue->head() == nullptr) {
      // Read a full page of other events: more may follow at once.
      if (events->size() == page)
        return self->send(self, wake_atom_v);
      // A closed feed wakes at once, for good: the coordinator is stopping.
      if (st.waiting_feed || st.setup.feed->closed())
        return;
      st.waiting_feed = true;
      wake_after<wake_atom>(self, *st.setup.feed, st.queue->read_to());
      return;
    }
  }
  send_head(self);
}

void on_done(webhook_actor* self, uint64_t seq, int transport_code,
             const std::string& transport_error, int64_t status) {
  auto& st = self->state;
  st.in_flight = false;
  const auto* head = st.queue->head();
  if (head == nullptr || head->seq != seq)
    return pump(self);
  if (transport_code == 0 && status >= 200 && status < 300) {
    st.queue->delivered();
    st.attempts = 0;
    auto now = st.setup.time->wall_ms();
    st.setup.board->update(st.setup.index, [now](webhook_status& s) {
      s.pending_seq = 0;
      s.attempts = 0;
      s.next_attempt_ms = 0;
      s.last_success_ms = now;
      ++s.delivered;
    });
    store_cursor(self);
    return pump(self);
  }
  // Curl's messages name host and port, never the path or query; the URL's secrets stay out.
  auto why = transport_code != 0 ? "no answer: " + transport_error
                                 : "answered HTTP " + std::to_string(status);
  retry_later(self, why);
}

caf::behavior webhook_behavior(webhook_actor* self, webhook_setup setup) {
  auto& st = self->state;
  st.setup = std::move(setup);
  st.cursor_name = webhook_cursor_name(st.setup.settings);
  auto stored = st.setup.db->cursor(st.cursor_name);
  uint64_t start = st.setup.db->last_event_seq();
  if (!stored)
    st.log->error("{}: {}; starting at the newest event", redact_url(st.setup.settings.url),
                  message_of(stored.error()));
  else if (*stored)
    start = **stored;
  st.queue.emplace(st.setup.settings.events, start);
  // A new webhook's start is stored at once: events from now on are its to receive.
  if (!stored || !*stored)
    if (auto err = st.setup.db->put_cursor(st.cursor_name, start))
      st.log->error("{}: {}", redact_url(st.setup.settings.url), message_of(err));
  st.stored_cursor = start;
  st.setup.board->update(st.setup.index, [start](webhook_status& s) { s.cursor = start; });
  st.session = st.setup.engine->open_session();
  auto* engine = st.setup.engine;
  auto session = st.session;
  self->attach_functor([engine, session] { engine->close_session(session); });
  st.log->info("{} receives {} from seq {}", redact_url(st.setup.settings.url),
               fmt::join(st.setup.settings.events, ", "), start + 1);
  self->send(self, wake_atom_v);
  return {
      [self](wake_atom) {
        self->state.waiting_feed = false;
        pump(self);
      },
      [self](retry_atom) {
        self->state.waiting_retry = false;
        pump(self);
      },
      [self](done_atom, uint64_t seq, int code, const std::string& error, int64_t status) {
        on_done(self, seq, code, error, status);
      },
  };
}

} // namespace

std::string webhook_cursor_name(const webhook_settings& w) {
  return "webhook/" + sha256_of(w.url).substr(0, 32);
}

caf::actor spawn_webhook(caf::actor_system& sys, webhook_setup setup) {
  return sys.spawn(webhook_behavior, std::move(setup));
}

} // namespace fleet
