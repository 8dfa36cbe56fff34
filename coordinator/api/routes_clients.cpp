// Clients: create (with idempotency keys), read with traffic, list, change, delete.

#include "common/json_reader.hpp"
#include "coordinator/api/api_context.hpp"
#include "coordinator/api/api_json.hpp"
#include "coordinator/api/digest.hpp"
#include "coordinator/coordinator_messages.hpp"

#include <cstdio>
#include <openssl/evp.h>

namespace fleet {

namespace {

constexpr size_t max_key_length = 200;

} // namespace

void add_client_routes(router& routes, api_context& ctx) {
  routes.post("/api/v1/clients", [&ctx](server_request& req, responder reply) {
    auto body = json_body(req, reply);
    if (!body)
      return;
    create_request create;
    if (refuse_problems(reply, read_create(*body, create)))
      return;
    if (!create.server_id.empty() && ctx.servers()->count(create.server_id) == 0)
      return reply_error(
          reply, api_error_of(404, "not_found",
                              "server_id: no server " + create.server_id + " in the fleet"));
    if (const auto* key = req.header("Idempotency-Key"))
      create.idempotency_key = *key;
    if (create.idempotency_key.size() > max_key_length)
      return reply_error(
          reply, api_error_of(400, "invalid_argument", "Idempotency-Key: at most 200 characters"));
    // The digest covers the parsed request, so whitespace or key order do not matter; only
    // a keyed create is compared with an earlier one.
    if (!create.idempotency_key.empty())
      create.body_digest = sha256_hex(body->dump());
    ask<client_record>(ctx, reply, create_atom_v, create)
        .then([&ctx, reply](caf::expected<client_record> created) {
          if (!created)
            return reply_error(reply, to_api_error(created.error()));
          reply_json(reply, 201, client_json(*created, ctx.subscription_base_url));
        });
  });
  routes.get("/api/v1/clients", [&ctx](server_request& req, responder reply) {
    auto limit = query_number(req, reply, "limit", 100, 1000);
    if (!limit)
      return;
    client_filter filter;
    filter.user_id = query_text(req, "user_id");
    filter.server_id = query_text(req, "server_id");
    filter.after = query_text(req, "after");
    filter.limit = *limit == 0 ? 100 : *limit;
    ask<std::vector<client_record>>(ctx, reply, get_atom_v, filter)
        .then([&ctx, reply, limit = filter.limit](caf::expected<std::vector<client_record>> found) {
          if (!found)
            return reply_error(reply, to_api_error(found.error()));
          auto list = nlohmann::json::array();
          for (const auto& c : *found)
            list.push_back(client_json(c, ctx.subscription_base_url));
          // A full page may have more behind it; the cursor is the last email.
          auto next
              = found->size() == limit ? nlohmann::json(found->back().email) : nlohmann::json();
          reply_json(reply, 200, {{"clients", list}, {"next", next}});
        });
  });
  routes.get("/api/v1/clients/{email}", [&ctx](server_request& req, responder reply) {
    ask<client_view>(ctx, reply, get_atom_v, req.params[0])
        .then([&ctx, reply](caf::expected<client_view> view) {
          if (!view)
            return reply_error(reply, to_api_error(view.error()));
          reply_json(reply, 200, client_view_json(*view, ctx.subscription_base_url));
        });
  });
  routes.patch("/api/v1/clients/{email}", [&ctx](server_request& req, responder reply) {
    auto body = json_body(req, reply);
    if (!body)
      return;
    client_patch patch;
    patch.email = req.params[0];
    if (refuse_problems(reply, read_patch(*body, patch)))
      return;
    ask<client_record>(ctx, reply, update_atom_v, patch)
        .then([&ctx, reply](caf::expected<client_record> updated) {
          if (!updated)
            return reply_error(reply, to_api_error(updated.error()));
          reply_json(reply, 200, client_json(*updated, ctx.subscription_base_url));
        });
  });
  routes.del("/api/v1/clients/{email}", [&ctx](server_request& req, responder reply) {
    ask<bool>(ctx, reply, delete_atom_v, req.params[0]).then([reply](caf::expected<bool> deleted) {
      if (!deleted)
        return reply_error(reply, to_api_error(deleted.error()));
      reply({204, "", "", {}});
    });
  });
}

} // namespace fleet
