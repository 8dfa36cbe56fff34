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

void add_client_routes(httplib::Server& http, api_context& ctx) {
  http.Post("/api/v1/clients", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto body = json_body(req, res);
    if (!body)
      return;
    create_request create;
    if (refuse_problems(res, read_create(*body, create)))
      return;
    if (!create.server_id.empty() && ctx.servers.count(create.server_id) == 0)
      return reply_error(
          res, api_error_of(404, "not_found",
                            "server_id: no server " + create.server_id + " in the fleet"));
    create.idempotency_key = req.get_header_value("Idempotency-Key");
    if (create.idempotency_key.size() > max_key_length)
      return reply_error(
          res, api_error_of(400, "invalid_argument", "Idempotency-Key: at most 200 characters"));
    // The digest covers the parsed request, so whitespace or key order do not matter.
    create.body_digest = sha256_hex(body->dump());
    auto created = ask<client_record>(ctx, create_atom_v, create);
    if (!created && !create.server_id.empty())
      return reply_error(res, to_api_error(created.error()));
    if (!created)
      return reply_selection_error(ctx, res, created.error(), create.criteria);
    reply_json(res, 201, client_json(*created));
  });
  http.Get("/api/v1/clients", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto limit = query_number(req, res, "limit", 100, 1000);
    if (!limit)
      return;
    client_filter filter;
    filter.user_id = req.get_param_value("user_id");
    filter.server_id = req.get_param_value("server_id");
    filter.after = req.get_param_value("after");
    filter.limit = *limit == 0 ? 100 : *limit;
    auto found = ask<std::vector<client_record>>(ctx, get_atom_v, filter);
    if (!found)
      return reply_error(res, to_api_error(found.error()));
    auto list = nlohmann::json::array();
    for (const auto& c : *found)
      list.push_back(client_json(c));
    // A full page may have more behind it; the cursor is the last email.
    auto next
        = found->size() == filter.limit ? nlohmann::json(found->back().email) : nlohmann::json();
    reply_json(res, 200, {{"clients", list}, {"next", next}});
  });
  http.Get(R"(/api/v1/clients/([^/]+))",
           [&ctx](const httplib::Request& req, httplib::Response& res) {
             std::string email = req.matches[1];
             auto view = ask<client_view>(ctx, get_atom_v, email);
             if (!view)
               return reply_error(res, to_api_error(view.error()));
             reply_json(res, 200, client_view_json(*view));
           });
  http.Patch(R"(/api/v1/clients/([^/]+))",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               auto body = json_body(req, res);
               if (!body)
                 return;
               client_patch patch;
               patch.email = req.matches[1];
               if (refuse_problems(res, read_patch(*body, patch)))
                 return;
               auto updated = ask<client_record>(ctx, update_atom_v, patch);
               if (!updated)
                 return reply_error(res, to_api_error(updated.error()));
               reply_json(res, 200, client_json(*updated));
             });
  http.Delete(R"(/api/v1/clients/([^/]+))",
              [&ctx](const httplib::Request& req, httplib::Response& res) {
                std::string email = req.matches[1];
                auto deleted = ask<bool>(ctx, delete_atom_v, email);
                if (!deleted)
                  return reply_error(res, to_api_error(deleted.error()));
                res.status = 204;
              });
}

} // namespace fleet
