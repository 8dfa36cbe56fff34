// Liveness, readiness and metrics.

#include "coordinator/api/api_context.hpp"
#include "coordinator/coordinator_messages.hpp"

#include <sstream>

namespace fleet {

void add_operation_routes(httplib::Server& http, api_context& ctx) {
  http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    reply_json(res, 200, {{"status", "ok"}});
  });
  http.Get("/readyz", [&ctx](const httplib::Request&, httplib::Response& res) {
    if (ctx.db == nullptr)
      return reply_json(res, 503, {{"status", "not_ready"}, {"reason", "the store is not open"}});
    auto views = ask<std::vector<server_view>>(ctx, servers_atom_v);
    if (!views)
      return reply_json(res, 503, {{"status", "not_ready"}, {"reason", message_of(views.error())}});
    size_t healthy = 0;
    for (const auto& v : *views)
      healthy += v.health.is_healthy ? 1 : 0;
    if (healthy == 0)
      return reply_json(
          res, 503,
          {{"status", "not_ready"},
           {"reason", "no server is healthy (" + std::to_string(views->size()) + " configured)"}});
    reply_json(res, 200, {{"status", "ready"}, {"healthy_servers", healthy}});
  });
  http.Get("/metrics", [&ctx](const httplib::Request&, httplib::Response& res) {
    auto text = ask<std::string>(ctx, metrics_atom_v);
    if (!text)
      return reply_error(res, to_api_error(text.error()));
    std::ostringstream out;
    out << *text;
    out << "# HELP xui_fleet_http_responses_total API answers by HTTP status.\n"
        << "# TYPE xui_fleet_http_responses_total counter\n";
    {
      std::lock_guard<std::mutex> guard{ctx.counts_mtx};
      for (const auto& [status, n] : ctx.answers)
        out << "xui_fleet_http_responses_total{status=\"" << status << "\"} " << n << '\n';
    }
    res.status = 200;
    res.set_content(out.str(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

} // namespace fleet
