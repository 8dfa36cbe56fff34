// Servers, their health and stats, selection, and operator states.

#include "common/json_reader.hpp"
#include "common/model/model_json.hpp"
#include "common/time_format.hpp"
#include "coordinator/api/api_context.hpp"
#include "coordinator/api/api_json.hpp"
#include "coordinator/coordinator_messages.hpp"

namespace fleet {

namespace {

using fleet_answer = caf::expected<std::vector<server_view>>;

/// Asks for every server and calls `f` with them; answers an error itself.
template <class F>
void with_fleet(api_context& ctx, const responder& reply, F f) {
  ask<std::vector<server_view>>(ctx, reply, servers_atom_v).then([reply, f](fleet_answer views) {
    if (!views)
      return reply_error(reply, to_api_error(views.error()));
    f(*views);
  });
}

/// `GET` routes that answer server `id` in some form; 404 when the fleet has no such server.
template <class Render>
void one_server(api_context& ctx, const responder& reply, const std::string& id, Render render) {
  with_fleet(ctx, reply, [reply, id, render](const std::vector<server_view>& views) {
    for (const auto& v : views)
      if (v.health.server_id == id)
        return reply_json(reply, 200, render(v));
    reply_error(reply, api_error_of(404, "not_found", "no server " + id + " in the fleet"));
  });
}

/// The body `{"<name>": <list>}`, the list from `cache` (one entry per server, rendered by
/// `render` when it changed).
template <class Render>
std::string fleet_body(const char* name, fleet_body_cache& cache, const api_context& ctx,
                       const std::vector<server_view>& views, Render render) {
  auto list = cache.list(views, ctx.config_generation(),
                         [&render](const server_view& v) { return render(v).dump(); });
  return std::string{"{\""} + name + "\":" + list + "}";
}

/// Renders a server whole: its configuration and what the coordinator knows of it.
auto whole_server(const api_context& ctx) {
  return [&ctx](const server_view& v) {
    // A server a reload has just added or removed may be missing here for a moment.
    auto configured = ctx.servers();
    auto c = configured->find(v.health.server_id);
    if (c != configured->end())
      return server_json(c->second, v);
    server_config bare;
    bare.id = v.health.server_id;
    return server_json(bare, v);
  };
}

void set_admin(api_context& ctx, const std::string& id, const responder& reply, admin_state admin) {
  ask<server_health>(ctx, reply, admin_atom_v, id, admin)
      .then([&ctx, reply, id](caf::expected<server_health> h) {
        if (!h)
          return reply_error(reply, to_api_error(h.error()));
        one_server(ctx, reply, id, whole_server(ctx));
      });
}

/// `GET /api/v1/servers/{id}/health-history`: the minutes of the last 24 h with checks.
nlohmann::json history_json(const std::string& id, const std::vector<health_sample>& samples) {
  auto points = nlohmann::json::array();
  for (const auto& s : samples)
    points.push_back({{"time", to_rfc3339(wall_time{std::chrono::milliseconds{s.minute_ms}})},
                      {"time_ms", s.minute_ms},
                      {"checks", s.checks},
                      {"passed", s.passed},
                      {"availability", s.availability()},
                      {"response_time_ms", s.mean_response_ms()},
                      {"response_time_max_ms", s.response_ms_max}});
  auto to_ms = to_unix_ms(std::chrono::system_clock::now());
  auto from_ms = to_ms - health_history::day_minutes * health_history::minute_ms;
  return {{"server_id", id_to_json(id)},
          {"step", "1m"},
          {"from", to_rfc3339(wall_time{std::chrono::milliseconds{from_ms}})},
          {"to", to_rfc3339(wall_time{std::chrono::milliseconds{to_ms}})},
          {"from_ms", from_ms},
          {"to_ms", to_ms},
          {"points", std::move(points)}};
}

} // namespace

void add_server_routes(router& routes, api_context& ctx) {
  routes.get("/api/v1/servers", [&ctx](server_request&, responder reply) {
    with_fleet(ctx, reply, [&ctx, reply](const std::vector<server_view>& views) {
      auto body = fleet_body("servers", ctx.servers_list, ctx, views, whole_server(ctx));
      reply({200, "application/json", std::move(body), {}});
    });
  });
  routes.get("/api/v1/servers/{id}", [&ctx](server_request& req, responder reply) {
    one_server(ctx, reply, req.params[0], whole_server(ctx));
  });
  routes.get("/api/v1/servers/{id}/health", [&ctx](server_request& req, responder reply) {
    one_server(ctx, reply, req.params[0], [](const server_view& v) { return to_json(v.health); });
  });
  routes.get("/api/v1/servers/{id}/health-history", [&ctx](server_request& req, responder reply) {
    auto id = req.params[0];
    ask<std::vector<health_sample>>(ctx, reply, history_atom_v, id)
        .then([reply, id](caf::expected<std::vector<health_sample>> samples) {
          if (!samples)
            return reply_error(reply, to_api_error(samples.error()));
          reply_json(reply, 200, history_json(id, *samples));
        });
  });
  routes.get("/api/v1/servers/{id}/stats", [&ctx](server_request& req, responder reply) {
    one_server(ctx, reply, req.params[0], [](const server_view& v) { return to_json(v.stats); });
  });
  routes.post("/api/v1/servers/{id}/drain", [&ctx](server_request& req, responder reply) {
    set_admin(ctx, req.params[0], reply, admin_state::draining);
  });
  routes.post("/api/v1/servers/{id}/enable", [&ctx](server_request& req, responder reply) {
    set_admin(ctx, req.params[0], reply, admin_state::active);
  });
  routes.post("/api/v1/servers/{id}/disable", [&ctx](server_request& req, responder reply) {
    set_admin(ctx, req.params[0], reply, admin_state::disabled);
  });
  routes.post("/api/v1/servers/{id}/evacuate", [&ctx](server_request& req, responder reply) {
    auto id = req.params[0];
    ask<evacuation_status>(ctx, reply, evacuate_atom_v, id)
        .then([&ctx, reply, id](caf::expected<evacuation_status> status) {
          if (!status)
            return reply_error(reply, to_api_error(status.error()));
          one_server(ctx, reply, id, whole_server(ctx));
        });
  });
  routes.post("/api/v1/servers/{id}/reconcile", [&ctx](server_request& req, responder reply) {
    const auto& id = req.params[0];
    if (ctx.servers()->count(id) == 0)
      return reply_error(reply, api_error_of(404, "not_found", "no server " + id));
    caf::anon_send(ctx.coordinator, reconcile_atom_v, id);
    reply_json(reply, 202, {{"server_id", id_to_json(id)}, {"reconciling", true}});
  });
  routes.get("/api/v1/health", [&ctx](server_request&, responder reply) {
    with_fleet(ctx, reply, [&ctx, reply](const std::vector<server_view>& views) {
      auto body = fleet_body("servers", ctx.health_list, ctx, views,
                             [](const server_view& v) { return to_json(v.health); });
      reply({200, "application/json", std::move(body), {}});
    });
  });
  routes.get("/api/v1/agents", [&ctx](server_request&, responder reply) {
    ask<std::vector<agent_status>>(ctx, reply, agents_atom_v)
        .then([reply](caf::expected<std::vector<agent_status>> agents) {
          if (!agents)
            return reply_error(reply, to_api_error(agents.error()));
          auto list = nlohmann::json::array();
          for (const auto& a : *agents)
            list.push_back(agent_json(a));
          reply_json(reply, 200, {{"agents", list}});
        });
  });
  routes.get("/api/v1/stats", [&ctx](server_request&, responder reply) {
    with_fleet(ctx, reply, [&ctx, reply](const std::vector<server_view>& views) {
      int64_t total = 0, active = 0, max = 0, bytes = 0;
      for (const auto& v : views) {
        total += v.stats.total_clients;
        active += v.stats.active_clients;
        max += v.stats.max_clients;
        bytes += v.stats.bytes_transferred;
      }
      nlohmann::json totals{{"total_clients", total},
                            {"active_clients", active},
                            {"max_clients", max},
                            {"bytes_transferred", bytes}};
      auto list = ctx.stats_list.list(views, ctx.config_generation(),
                                      [](const server_view& v) { return to_json(v.stats).dump(); });
      reply({200,
             "application/json",
             "{\"servers\":" + list + ",\"totals\":" + totals.dump() + "}",
             {}});
    });
  });
  routes.get("/api/v1/drift", [&ctx](server_request&, responder reply) {
    ask<std::vector<drift_report>>(ctx, reply, drift_atom_v)
        .then([reply](caf::expected<std::vector<drift_report>> reports) {
          if (!reports)
            return reply_error(reply, to_api_error(reports.error()));
          auto list = nlohmann::json::array();
          for (const auto& r : *reports)
            list.push_back({{"server_id", id_to_json(r.server_id)},
                            {"checked_at_ms", r.checked_at_ms},
                            {"missing", r.missing},
                            {"foreign", r.foreign},
                            {"wrong_key", r.wrong_key},
                            {"wrong_enable", r.wrong_enable},
                            {"repaired", r.repaired},
                            {"error", r.error}});
          reply_json(reply, 200, {{"servers", list}});
        });
  });
  routes.post("/api/v1/select", [&ctx](server_request& req, responder reply) {
    auto body = json_body(req, reply);
    if (!body)
      return;
    selection_criteria criteria;
    if (refuse_problems(reply, read(*body, criteria)))
      return;
    ask<selection>(ctx, reply, select_atom_v, criteria)
        .then([reply](caf::expected<selection> chosen) {
          if (!chosen)
            return reply_error(reply, to_api_error(chosen.error()));
          reply_json(reply, 200, selection_json(*chosen));
        });
  });
}

} // namespace fleet
