// The web dashboard: `/ui/` and its files, embedded in the binary (ui_assets.hpp). No token
// is needed for the files themselves; the page signs in with an API token and sends it with
// every `/api/` request it makes.

#include "coordinator/api/api_context.hpp"
#include "coordinator/api/ui_assets.hpp"

namespace fleet {

namespace {

/// Scripts and styles only from the coordinator itself, never inline; no frames, no forms
/// sent elsewhere, requests only to the coordinator (the API and its event stream).
constexpr const char* content_security_policy
    = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
      "form-action 'self'; frame-ancestors 'none'";

/// Whether `if_none_match` (a list of ETags, or "*") names `etag`.
bool matches(const std::string& if_none_match, std::string_view etag) {
  if (if_none_match.find('*') != std::string::npos)
    return true;
  return if_none_match.find(etag) != std::string::npos;
}

void serve(const ui_asset& file, const server_request& req, const responder& reply) {
  // Every answer is checked again before use (`no-cache`), and costs a 304 when unchanged:
  // names do not change with content, so a cached copy must not outlive an upgrade.
  server_fields headers{{"ETag", std::string{file.etag}},
                        {"Cache-Control", "no-cache"},
                        {"Content-Security-Policy", content_security_policy},
                        {"X-Content-Type-Options", "nosniff"},
                        {"X-Frame-Options", "DENY"},
                        {"Referrer-Policy", "no-referrer"}};
  if (const auto* tags = req.header("If-None-Match"); tags != nullptr && matches(*tags, file.etag))
    return reply({304, "", "", std::move(headers)});
  reply({200, std::string{file.content_type}, std::string{file.body}, std::move(headers)});
}

const ui_asset* find_asset(std::string_view name) {
  for (const auto& a : ui_assets())
    if (a.name == name)
      return &a;
  return nullptr;
}

} // namespace

void add_ui_routes(router& routes) {
  routes.get("/ui", [](server_request&, responder reply) {
    reply({308, "text/plain; charset=utf-8", "the dashboard is at /ui/\n", {{"Location", "/ui/"}}});
  });
  routes.get("/ui/", [](server_request& req, responder reply) {
    if (const auto* index = find_asset("index.html"))
      return serve(*index, req, reply);
    reply_error(reply, api_error_of(404, "not_found", "the dashboard is not in this build"));
  });
  routes.get("/ui/{file}", [](server_request& req, responder reply) {
    if (const auto* file = find_asset(req.params[0]))
      return serve(*file, req, reply);
    reply_error(reply, api_error_of(404, "not_found", "no file /ui/" + req.params[0]));
  });
}

} // namespace fleet
