// Servers, their health and stats, selection, and operator states.

#include "common/json_reader.hpp"
#include "common/model/model_json.hpp"
#include "coordinator/api/api_context.hpp"
#include "coordinator/api/api_json.hpp"
#include "coordinator/coordinator_messages.hpp"

namespace fleet {

namespace {

/// Asks for every server; answers the error itself and returns nothing on failure.
std::optional<std::vector<server_view>> fleet_of(api_context& ctx, httplib::Response& res) {
  auto views = ask<std::vector<server_view>>(ctx, servers_atom_v);
  if (!views) {
    reply_error(res, to_api_error(views.error()));
    return std::nullopt;
  }
  return std::move(*views);
}

/// Finds server `id` in `views`; answers 404 and returns null when there is none.
const server_view* find(const std::vector<server_view>& views, const std::string& id,
                        httplib::Response& res) {
  for (const auto& v : views)
    if (v.health.server_id == id)
      return &v;
  reply_error(res, api_error_of(404, "not_found", "no server " + id + " in the fleet"));
  return nullptr;
}

/// `GET` routes that answer one server in some form.
template <class Render>
void one_server(api_context& ctx, const httplib::Request& req, httplib::Response& res,
                Render render) {
  auto views = fleet_of(ctx, res);
  if (!views)
    return;
  const auto* v = find(*views, req.matches[1], res);
  if (v != nullptr)
    reply_json(res, 200, render(*v));
}

void set_admin(api_context& ctx, const httplib::Request& req, httplib::Response& res,
               admin_state admin) {
  std::string id = req.matches[1];
  auto h = ask<server_health>(ctx, admin_atom_v, id, admin);
  if (!h)
    return reply_error(res, to_api_error(h.error()));
  one_server(ctx, req, res,
             [&](const server_view& v) { return server_json(ctx.servers.at(id), v); });
}

} // namespace

void add_server_routes(httplib::Server& http, api_context& ctx) {
  http.Get("/api/v1/servers", [&ctx](const httplib::Request&, httplib::Response& res) {
    auto views = fleet_of(ctx, res);
    if (!views)
      return;
    auto list = nlohmann::json::array();
    for (const auto& v : *views)
      list.push_back(server_json(ctx.servers.at(v.health.server_id), v));
    reply_json(res, 200, {{"servers", list}});
  });
  http.Get(R"(/api/v1/servers/([^/]+))",
           [&ctx](const httplib::Request& req, httplib::Response& res) {
             one_server(ctx, req, res, [&](const server_view& v) {
               return server_json(ctx.servers.at(v.health.server_id), v);
             });
           });
  http.Get(R"(/api/v1/servers/([^/]+)/health)",
           [&ctx](const httplib::Request& req, httplib::Response& res) {
             one_server(ctx, req, res, [](const server_view& v) { return to_json(v.health); });
           });
  http.Get(R"(/api/v1/servers/([^/]+)/stats)",
           [&ctx](const httplib::Request& req, httplib::Response& res) {
             one_server(ctx, req, res, [](const server_view& v) { return to_json(v.stats); });
           });
  http.Post(R"(/api/v1/servers/([^/]+)/drain)",
            [&ctx](const httplib::Request& req, httplib::Response& res) {
              set_admin(ctx, req, res, admin_state::draining);
            });
  http.Post(R"(/api/v1/servers/([^/]+)/enable)",
            [&ctx](const httplib::Request& req, httplib::Response& res) {
              set_admin(ctx, req, res, admin_state::active);
            });
  http.Post(R"(/api/v1/servers/([^/]+)/disable)",
            [&ctx](const httplib::Request& req, httplib::Response& res) {
              set_admin(ctx, req, res, admin_state::disabled);
            });
  http.Post(R"(/api/v1/servers/([^/]+)/reconcile)",
            [&ctx](const httplib::Request& req, httplib::Response& res) {
              std::string id = req.matches[1];
              if (ctx.servers.count(id) == 0)
                return reply_error(res, api_error_of(404, "not_found", "no server " + id));
              caf::anon_send(ctx.coordinator, reconcile_atom_v, id);
              reply_json(res, 202, {{"server_id", id_to_json(id)}, {"reconciling", true}});
            });
  http.Get("/api/v1/health", [&ctx](const httplib::Request&, httplib::Response& res) {
    auto views = fleet_of(ctx, res);
    if (!views)
      return;
    nlohmann::json out = nlohmann::json::object();
    for (const auto& v : *views)
      out[v.health.server_id] = to_json(v.health);
    reply_json(res, 200, {{"servers", out}});
  });
  http.Get("/api/v1/agents", [&ctx](const httplib::Request&, httplib::Response& res) {
    auto agents = ask<std::vector<agent_status>>(ctx, agents_atom_v);
    if (!agents)
      return reply_error(res, to_api_error(agents.error()));
    auto list = nlohmann::json::array();
    for (const auto& a : *agents)
      list.push_back(agent_json(a));
    reply_json(res, 200, {{"agents", list}});
  });
  http.Get("/api/v1/stats", [&ctx](const httplib::Request&, httplib::Response& res) {
    auto views = fleet_of(ctx, res);
    if (!views)
      return;
    nlohmann::json out = nlohmann::json::object();
    int64_t total = 0, active = 0, max = 0, bytes = 0;
    for (const auto& v : *views) {
      out[v.health.server_id] = to_json(v.stats);
      total += v.stats.total_clients;
      active += v.stats.active_clients;
      max += v.stats.max_clients;
      bytes += v.stats.bytes_transferred;
    }
    reply_json(res, 200,
               {{"servers", out},
                {"totals",
                 {{"total_clients", total},
                  {"active_clients", active},
                  {"max_clients", max},
                  {"bytes_transferred", bytes}}}});
  });
  http.Get("/api/v1/drift", [&ctx](const httplib::Request&, httplib::Response& res) {
    auto reports = ask<std::vector<drift_report>>(ctx, drift_atom_v);
    if (!reports)
      return reply_error(res, to_api_error(reports.error()));
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
    reply_json(res, 200, {{"servers", list}});
  });
  http.Post("/api/v1/select", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto body = json_body(req, res);
    if (!body)
      return;
    selection_criteria criteria;
    if (refuse_problems(res, read(*body, criteria)))
      return;
    auto chosen = ask<selection>(ctx, select_atom_v, criteria);
    if (!chosen)
      return reply_selection_error(ctx, res, chosen.error(), criteria);
    reply_json(res, 200, selection_json(*chosen));
  });
}

} // namespace fleet
