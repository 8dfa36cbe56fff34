// Usage and limits: renewals, usage resets, a bot user's clients, and hourly usage series of
// clients and servers from the traffic ledger.

#include "common/time_format.hpp"
#include "coordinator/api/api_context.hpp"
#include "coordinator/api/api_json.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/store/store.hpp"

#include <chrono>

namespace fleet {

namespace {

constexpr int64_t hour_ms = 3'600'000;

/// A time given as Unix ms or RFC 3339.
std::optional<int64_t> time_of(const std::string& text) {
  if (auto ms = whole_number(text, 4'102'444'800'000))
    return static_cast<int64_t>(*ms);
  auto t = parse_rfc3339(text);
  if (!t)
    return std::nullopt;
  return to_unix_ms(*t);
}

/// The hours asked for with `from`, `to` (default: the last 24 h) and `step` (only "1h"),
/// whole hours within the kept 35 days; answers 400 and returns nothing when they are wrong.
std::optional<usage_query> usage_range(const server_request& req, const responder& reply) {
  auto bad = [&](const std::string& why) {
    reply_error(reply, api_error_of(400, "invalid_argument", why));
    return std::nullopt;
  };
  if (auto step = query_text(req, "step"); !step.empty() && step != "1h")
    return bad("step: only 1h is kept");
  auto now = to_unix_ms(std::chrono::system_clock::now());
  usage_query q;
  q.to_ms = (now / hour_ms + 1) * hour_ms;
  if (auto to = query_text(req, "to"); !to.empty()) {
    auto t = time_of(to);
    if (!t)
      return bad("to: expected Unix ms or an RFC 3339 time");
    q.to_ms = (*t + hour_ms - 1) / hour_ms * hour_ms;
  }
  q.from_ms = q.to_ms - 24 * hour_ms;
  if (auto from = query_text(req, "from"); !from.empty()) {
    auto t = time_of(from);
    if (!t)
      return bad("from: expected Unix ms or an RFC 3339 time");
    q.from_ms = *t / hour_ms * hour_ms;
  }
  if (q.from_ms >= q.to_ms)
    return bad("from: must be before to");
  auto oldest = (now - store::usage_retention_ms) / hour_ms * hour_ms;
  q.from_ms = std::max(q.from_ms, oldest);
  if (q.from_ms >= q.to_ms)
    return bad("to: hours older than 35 days are not kept");
  return q;
}

void answer_view(api_context& ctx, const responder& reply, caf::expected<client_view> view) {
  if (!view)
    return reply_error(reply, to_api_error(view.error()));
  reply_json(reply, 200, client_view_json(*view, ctx.subscription_base_url));
}

void renew(api_context& ctx, const responder& reply, renewal plan) {
  ask<client_view>(ctx, reply, renew_atom_v, std::move(plan))
      .then([&ctx, reply](caf::expected<client_view> view) {
        answer_view(ctx, reply, std::move(view));
      });
}

void answer_series(api_context& ctx, const responder& reply, usage_query q, const char* key) {
  ask<std::vector<usage_bucket>>(ctx, reply, hours_atom_v, q)
      .then([reply, q, key](caf::expected<std::vector<usage_bucket>> found) {
        if (!found)
          return reply_error(reply, to_api_error(found.error()));
        reply_json(reply, 200, usage_series_json(key, q.owner, q.from_ms, q.to_ms, *found));
      });
}

} // namespace

void add_usage_routes(router& routes, api_context& ctx) {
  routes.post("/api/v1/clients/{email}/renew", [&ctx](server_request& req, responder reply) {
    auto body = json_body(req, reply);
    if (!body)
      return;
    renewal plan;
    plan.email = req.params[0];
    if (refuse_problems(reply, read_renewal(*body, plan)))
      return;
    renew(ctx, reply, std::move(plan));
  });
  routes.post("/api/v1/clients/{email}/reset-usage", [&ctx](server_request& req, responder reply) {
    renewal plan;
    plan.email = req.params[0];
    plan.reset_usage = true;
    renew(ctx, reply, std::move(plan));
  });
  routes.get("/api/v1/clients/{email}/usage", [&ctx](server_request& req, responder reply) {
    auto q = usage_range(req, reply);
    if (!q)
      return;
    q->owner = req.params[0];
    answer_series(ctx, reply, *q, "email");
  });
  routes.get("/api/v1/servers/{id}/usage", [&ctx](server_request& req, responder reply) {
    auto q = usage_range(req, reply);
    if (!q)
      return;
    if (ctx.servers()->count(req.params[0]) == 0)
      return reply_error(
          reply, api_error_of(404, "not_found", "no server " + req.params[0] + " in the fleet"));
    q->owner = req.params[0];
    q->of_server = true;
    answer_series(ctx, reply, *q, "server_id");
  });
  routes.get("/api/v1/users/{user_id}", [&ctx](server_request& req, responder reply) {
    auto user_id = req.params[0];
    ask<std::vector<client_view>>(ctx, reply, user_atom_v, user_id)
        .then([&ctx, reply, user_id](caf::expected<std::vector<client_view>> found) {
          if (!found)
            return reply_error(reply, to_api_error(found.error()));
          if (found->empty())
            return reply_error(
                reply,
                api_error_of(404, "not_found", "user " + user_id + " has no clients in the fleet"));
          auto clients = nlohmann::json::array();
          byte_counts total;
          for (const auto& v : *found) {
            clients.push_back(client_view_json(v, ctx.subscription_base_url));
            total.up += v.account.usage.total.up;
            total.down += v.account.usage.total.down;
          }
          reply_json(reply, 200,
                     {{"user_id", user_id}, {"clients", clients}, {"usage", bytes_json(total)}});
        });
  });
}

} // namespace fleet
