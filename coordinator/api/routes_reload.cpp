// Administration: reloading the configuration file into the running fleet.

#include "coordinator/api/api_context.hpp"
#include "coordinator/api/config_reloader.hpp"

namespace fleet {

void add_reload_routes(router& routes, api_context& ctx) {
  // The reload runs on the reloader's thread, which answers; the event loop goes on.
  routes.post("/api/v1/admin/reload", [&ctx](server_request&, responder reply) {
    if (ctx.reloader == nullptr)
      return reply_error(reply, api_error_of(503, "unavailable",
                                             "this coordinator cannot reload its configuration"));
    ctx.reloader->request(
        "POST /api/v1/admin/reload",
        [reply](int status, const nlohmann::json& body) { reply_json(reply, status, body); });
  });
}

} // namespace fleet
