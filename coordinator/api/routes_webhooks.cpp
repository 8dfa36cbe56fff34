// Webhook deliveries: where each receiver stands (never its secret).

#include "coordinator/api/api_context.hpp"

namespace fleet {

void add_webhook_routes(router& routes, api_context& ctx) {
  routes.get("/api/v1/webhooks", [&ctx](server_request&, responder reply) {
    if (!ctx.notifications)
      return reply_json(reply, 200, {{"webhooks", nlohmann::json::array()}});
    reply_json(reply, 200, ctx.notifications->board()->to_json());
  });
}

} // namespace fleet
