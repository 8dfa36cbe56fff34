// The event log: paged replay and a server-sent-events stream that resumes after
// `Last-Event-ID`.

#include "coordinator/api/api_context.hpp"
#include "coordinator/api/api_json.hpp"

#include <limits>

namespace fleet {

namespace {

constexpr uint64_t no_limit = std::numeric_limits<int64_t>::max();

/// How often an idle stream sends a comment, so proxies and clients see it is alive.
constexpr std::chrono::milliseconds keepalive{15'000};

/// Where a stream starts: `Last-Event-ID` (a reconnecting client), else `?after=`, else the
/// newest event (only what happens from now on).
std::optional<uint64_t> stream_start(api_context& ctx, const httplib::Request& req,
                                     httplib::Response& res) {
  if (req.has_header("Last-Event-ID")) {
    auto text = req.get_header_value("Last-Event-ID");
    if (auto value = whole_number(text, no_limit))
      return value;
    reply_error(res, api_error_of(400, "invalid_argument",
                                  "Last-Event-ID: expected an event seq, got \"" + text + "\""));
    return std::nullopt;
  }
  auto last = ctx.db != nullptr ? ctx.db->last_event_seq() : 0;
  return query_number(req, res, "after", last, no_limit);
}

} // namespace

void add_event_routes(httplib::Server& http, api_context& ctx) {
  http.Get("/api/v1/events", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto after = query_number(req, res, "after", 0, no_limit);
    auto limit = after ? query_number(req, res, "limit", 100, 1000) : std::nullopt;
    if (!after || !limit)
      return;
    if (ctx.db == nullptr)
      return reply_error(res,
                         api_error_of(500, "internal", "the coordinator runs without a store"));
    auto events = ctx.db->events_after(*after, *limit == 0 ? 100 : *limit);
    if (!events)
      return reply_error(res, to_api_error(events.error()));
    auto list = nlohmann::json::array();
    for (const auto& e : *events)
      list.push_back(event_json(e));
    auto next = events->empty() ? *after : events->back().seq;
    reply_json(res, 200, {{"events", list}, {"next", next}});
  });
  http.Get("/api/v1/events/stream", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto start = stream_start(ctx, req, res);
    if (!start)
      return;
    if (ctx.db == nullptr)
      return reply_error(res,
                         api_error_of(500, "internal", "the coordinator runs without a store"));
    res.set_header("Cache-Control", "no-cache");
    auto cursor = std::make_shared<uint64_t>(*start);
    res.set_chunked_content_provider(
        "text/event-stream", [&ctx, cursor](size_t, httplib::DataSink& sink) {
          if (ctx.feed->closed()) {
            sink.done();
            return false;
          }
          auto events = ctx.db->events_after(*cursor, 100);
          if (!events || events->empty()) {
            if (ctx.feed->wait_after(*cursor, keepalive) <= *cursor && !ctx.feed->closed()) {
              static const std::string comment = ": keepalive\n\n";
              return sink.write(comment.data(), comment.size());
            }
            return true; // something new (or closing): the next call handles it
          }
          for (const auto& e : *events) {
            auto text = "id: " + std::to_string(e.seq) + "\nevent: " + e.type
                        + "\ndata: " + event_json(e).dump() + "\n\n";
            if (!sink.write(text.data(), text.size()))
              return false;
            *cursor = e.seq;
          }
          return true;
        });
  });
}

} // namespace fleet
