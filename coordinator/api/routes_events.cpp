// The event log: paged replay and a server-sent-events stream that resumes after
// `Last-Event-ID`.

#include "coordinator/api/api_context.hpp"
#include "coordinator/api/api_json.hpp"

#include <algorithm>
#include <limits>

namespace fleet {

namespace {

constexpr uint64_t no_limit = std::numeric_limits<int64_t>::max();

/// How often an idle stream sends a comment, so proxies and clients see it is alive.
constexpr std::chrono::milliseconds keepalive{15'000};

/// Where a stream starts: `Last-Event-ID` (a reconnecting client), else `?after=`, else the
/// newest event (only what happens from now on).
std::optional<uint64_t> stream_start(api_context& ctx, const server_request& req,
                                     const responder& reply) {
  if (const auto* text = req.header("Last-Event-ID")) {
    if (auto value = whole_number(*text, no_limit))
      return value;
    reply_error(reply, api_error_of(400, "invalid_argument",
                                    "Last-Event-ID: expected an event seq, got \"" + *text + "\""));
    return std::nullopt;
  }
  auto last = ctx.events != nullptr ? ctx.events->last_event_seq() : 0;
  return query_number(req, reply, "after", last, no_limit);
}

/// The chunks of one stream: the events after `start` from the store, a page at a time, and
/// when there are none, a wait for the next one; the stream ends when the feed closes.
chunk_source event_chunks(api_context& ctx, uint64_t start) {
  auto cursor = std::make_shared<uint64_t>(start);
  return [&ctx, cursor](std::function<void(std::optional<std::string>)> deliver) {
    if (ctx.feed->closed())
      return deliver(std::nullopt);
    auto events = ctx.events->events_after(*cursor, 100);
    if (!events) // the client reconnects with Last-Event-ID and resumes
      return deliver(std::nullopt);
    if (events->empty())
      return ctx.feed->on_after(*cursor, [deliver] { deliver(std::string{}); });
    std::string text;
    for (const auto& e : *events) {
      text += "id: " + std::to_string(e.seq) + "\nevent: " + e.type
              + "\ndata: " + event_json(e).dump() + "\n\n";
      *cursor = e.seq;
    }
    deliver(std::move(text));
  };
}

} // namespace

void add_event_routes(router& routes, api_context& ctx) {
  routes.get("/api/v1/events", [&ctx](server_request& req, responder reply) {
    if (ctx.events == nullptr)
      return reply_error(reply,
                         api_error_of(500, "internal", "the coordinator runs without a store"));
    // `?tail=N`: the newest N events (N <= 1000), for a page that shows what just happened
    // and then follows the stream from `next`.
    auto tail = query_number(req, reply, "tail", 0, 1000);
    if (!tail)
      return;
    auto last = ctx.events->last_event_seq();
    auto after = *tail > 0 ? std::optional<uint64_t>{last > *tail ? last - *tail : 0}
                           : query_number(req, reply, "after", 0, no_limit);
    auto limit
        = after ? (*tail > 0 ? tail : query_number(req, reply, "limit", 100, 1000)) : std::nullopt;
    if (!after || !limit)
      return;
    auto events = ctx.events->events_after(*after, *limit == 0 ? 100 : *limit);
    if (!events)
      return reply_error(reply, to_api_error(events.error()));
    auto list = nlohmann::json::array();
    for (const auto& e : *events)
      list.push_back(event_json(e));
    auto next = events->empty() ? std::max(*after, *tail > 0 ? last : 0) : events->back().seq;
    reply_json(reply, 200, {{"events", list}, {"next", next}});
  });
  routes.get("/api/v1/events/stream", [&ctx](server_request& req, responder reply) {
    auto start = stream_start(ctx, req, reply);
    if (!start)
      return;
    if (ctx.events == nullptr)
      return reply_error(reply,
                         api_error_of(500, "internal", "the coordinator runs without a store"));
    reply.stream({200, "text/event-stream", "", {{"Cache-Control", "no-cache"}}},
                 event_chunks(ctx, *start), {": keepalive\n\n", keepalive});
  });
}

} // namespace fleet
