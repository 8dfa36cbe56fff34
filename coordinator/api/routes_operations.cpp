// Liveness, readiness and metrics.

#include "coordinator/api/api_context.hpp"
#include "coordinator/coordinator_messages.hpp"

#include <sstream>

namespace fleet {

void add_operation_routes(router& routes, api_context& ctx) {
  routes.get("/healthz", [](server_request&, responder reply) {
    reply_json(reply, 200, {{"status", "ok"}});
  });
  routes.get("/readyz", [&ctx](server_request&, responder reply) {
    if (ctx.events == nullptr)
      return reply_json(reply, 503, {{"status", "not_ready"}, {"reason", "the store is not open"}});
    // A store that cannot write leaves the coordinator ready (reads, selection and
    // subscriptions go on); the answer says so.
    nlohmann::json store_state = {{"writable", true}};
    if (ctx.db != nullptr)
      if (auto now = ctx.db->condition(); !now.writable)
        store_state = {{"writable", false}, {"reason", now.reason}, {"since_ms", now.since_ms}};
    ask<std::vector<server_view>>(ctx, reply, servers_atom_v)
        .then([reply, store_state](caf::expected<std::vector<server_view>> views) {
          if (!views)
            return reply_json(reply, 503,
                              {{"status", "not_ready"},
                               {"reason", message_of(views.error())},
                               {"store", store_state}});
          size_t healthy = 0;
          for (const auto& v : *views)
            healthy += v.health.is_healthy ? 1 : 0;
          if (healthy == 0)
            return reply_json(reply, 503,
                              {{"status", "not_ready"},
                               {"reason", "no server is healthy (" + std::to_string(views->size())
                                              + " configured)"},
                               {"store", store_state}});
          reply_json(reply, 200,
                     {{"status", "ready"}, {"healthy_servers", healthy}, {"store", store_state}});
        });
  });
  routes.get("/metrics", [&ctx](server_request&, responder reply) {
    ask<std::string>(ctx, reply, metrics_atom_v)
        .then([&ctx, reply](caf::expected<std::string> text) {
          if (!text)
            return reply_error(reply, to_api_error(text.error()));
          std::ostringstream out;
          out << *text;
          if (ctx.notifications)
            out << ctx.notifications->metrics_text();
          out << "# HELP xui_fleet_http_responses_total API answers by HTTP status.\n"
              << "# TYPE xui_fleet_http_responses_total counter\n";
          {
            std::lock_guard<std::mutex> guard{ctx.counts_mtx};
            for (const auto& [status, n] : ctx.answers)
              out << "xui_fleet_http_responses_total{status=\"" << status << "\"} " << n << '\n';
          }
          reply({200, "text/plain; version=0.0.4; charset=utf-8", out.str(), {}});
        });
  });
}

} // namespace fleet
