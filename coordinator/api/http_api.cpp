#include "coordinator/api/http_api.hpp"

#include "common/logging.hpp"
#include "coordinator/api/api_context.hpp"
#include "coordinator/api/digest.hpp"
#include "coordinator/api/rate_limiter.hpp"
#include "coordinator/api/token_access.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <openssl/crypto.h>
#include <thread>

namespace fleet {

namespace {

/// Event loops of the server: one per core, at least two, at most eight.
size_t loop_count() {
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 2, 8);
}

/// Returns the index of the token `given` matches, or -1. Compares digests in constant
/// time, so the answer time says nothing about the tokens.
int matching_token(const std::string& given, const std::vector<sha256_digest>& tokens) {
  auto d = sha256(given);
  int found = -1;
  for (size_t i = 0; i < tokens.size(); ++i)
    if (CRYPTO_memcmp(d.data(), tokens[i].data(), d.size()) == 0)
      found = static_cast<int>(i);
  return found;
}

std::string bearer_of(const server_request& req) {
  const auto* header = req.header("Authorization");
  const std::string prefix = "Bearer ";
  if (header == nullptr || header->size() <= prefix.size()
      || header->compare(0, prefix.size(), prefix) != 0)
    return {};
  return header->substr(prefix.size());
}

/// The accepted tokens with their roles and rate limits; replaced whole on reload.
struct token_table {
  std::vector<sha256_digest> digests;
  std::vector<token_role> roles;
  double rate = 0;
  std::unique_ptr<rate_limiter> limiter;
};

std::shared_ptr<token_table> token_table_of(const coordinator_settings& c) {
  auto t = std::make_shared<token_table>();
  for (const auto& token : c.api_tokens) {
    t->digests.push_back(sha256(token.token));
    t->roles.push_back(token.role);
  }
  t->rate = c.rate_limit;
  t->limiter = std::make_unique<rate_limiter>(t->rate, t->digests.size());
  return t;
}

} // namespace

struct http_api::impl {
  caf::actor_system* system = nullptr;
  api_context ctx;
  router routes;
  /// Read by every event loop, replaced by `reconfigure`.
  std::mutex tokens_mtx;
  std::shared_ptr<token_table> tokens;
  std::string listen;
  std::unique_ptr<http_server> http;
  std::shared_ptr<spdlog::logger> log = log_for("api");

  void handle(server_request& req, responder reply) {
    if (refused(req, reply))
      return;
    if (const auto* handler = routes.find(req))
      return (*handler)(req, std::move(reply));
    reply_error(reply, api_error_of(404, "not_found", "no route " + req.method + " " + req.path));
  }

  void count(const std::string& method, const std::string& path, int status) {
    {
      std::lock_guard<std::mutex> guard{ctx.counts_mtx};
      ++ctx.answers[status];
    }
    log->debug("{} {} -> {}", method, path, status);
  }

  /// Answers 401 or 429 and returns true when the request may not pass.
  bool refused(const server_request& req, const responder& reply) {
    auto protected_path
        = req.path.rfind("/api/", 0) == 0 || (ctx.metrics_auth && req.path == "/metrics");
    if (!protected_path)
      return false;
    auto table = current_tokens();
    if (auto token = matching_token(bearer_of(req), table->digests); token >= 0) {
      if (!token_may(table->roles[static_cast<size_t>(token)], req.method, req.path)) {
        reply(error_response(api_error_of(
            403, "forbidden",
            "this token is read-only: " + req.method + " " + req.path
                + " changes the fleet or administers it; use a token with role admin")));
        return true;
      }
      auto wait_ms = table->limiter->admit(static_cast<size_t>(token), rate_limiter::clock::now());
      if (wait_ms == 0)
        return false;
      reply(
          error_response(api_error_of(429, "rate_limited",
                                      "more than " + std::to_string(static_cast<long>(table->rate))
                                          + " requests per second with this token; retry later",
                                      {{"retry_after_ms", wait_ms}}),
                         {{"Retry-After", std::to_string((wait_ms + 999) / 1000)}}));
      return true;
    }
    reply(error_response(
        api_error_of(401, "unauthenticated",
                     table->digests.empty()
                         ? "no API token is configured; set coordinator.api_tokens or "
                           "FLEET_API_TOKEN and restart"
                         : "missing or wrong bearer token; send Authorization: Bearer "
                           "<token>"),
        {{"WWW-Authenticate", "Bearer"}}));
    return true;
  }

  std::shared_ptr<token_table> current_tokens() {
    std::lock_guard<std::mutex> guard{tokens_mtx};
    return tokens;
  }

  /// The answer to a request the server refuses before any route sees it, or that no
  /// route answered.
  static server_response refusal(int status) {
    if (status == 413)
      return error_response(
          api_error_of(413, "payload_too_large",
                       "the request body is larger than " + std::to_string(max_body) + " bytes"));
    if (status == 400)
      return error_response(api_error_of(400, "invalid_argument", "malformed HTTP request"));
    return error_response(api_error_of(500, "internal", "the request was not answered"));
  }
};

http_api::http_api(const fleet_config& config, caf::actor_system& system, caf::actor coordinator,
                   const store* db, std::shared_ptr<event_feed> feed, backup_worker* backups)
    : impl_(std::make_unique<impl>()) {
  auto& x = *impl_;
  x.system = &system;
  x.ctx.coordinator = std::move(coordinator);
  x.ctx.events = db;
  x.ctx.db = db;
  x.ctx.feed = std::move(feed);
  x.ctx.backups = backups;
  x.ctx.metrics_auth = config.coordinator.metrics_auth;
  x.ctx.subscription_base_url = config.coordinator.subscription_base_url;
  x.ctx.set_servers(config.servers);
  x.tokens = token_table_of(config.coordinator);
  x.listen = config.coordinator.listen;
  add_server_routes(x.routes, x.ctx);
  add_client_routes(x.routes, x.ctx);
  add_usage_routes(x.routes, x.ctx);
  add_event_routes(x.routes, x.ctx);
  add_operation_routes(x.routes, x.ctx);
  add_admin_routes(x.routes, x.ctx);
  add_ui_routes(x.routes);
  add_reload_routes(x.routes, x.ctx);
  add_webhook_routes(x.routes, x.ctx);
}

http_api::~http_api() {
  stop();
}

caf::error http_api::start() {
  auto address = parse_host_port(impl_->listen);
  if (!address)
    return make_error(ec::invalid_argument, "coordinator.listen: expected host:port such as "
                                            "127.0.0.1:8080, got \""
                                                + impl_->listen + "\"");
  auto& x = *impl_;
  http_server_options options;
  options.host = address->host;
  options.port = address->port;
  options.loops = loop_count();
  options.max_body = max_body;
  x.http = std::make_unique<http_server>(
      options, [&x](server_request& req, responder reply) { x.handle(req, std::move(reply)); },
      impl::refusal,
      [&x](const std::string& method, const std::string& path, int status) {
        x.count(method, path, status);
      });
  for (size_t i = 0; i < options.loops; ++i)
    x.ctx.loop_actors.push_back(std::make_unique<loop_actor>(*x.system, *x.http, i));
  if (auto err = x.http->start()) {
    x.ctx.loop_actors.clear();
    x.http.reset();
    return make_error(ec::io_error, "coordinator.listen: " + message_of(err)
                                        + " (in use, or not an address of this host)");
  }
  if (x.tokens->digests.empty())
    x.log->warn("no API token is configured: every /api/ request is refused; set "
                "coordinator.api_tokens or FLEET_API_TOKEN");
  x.log->info("HTTP API listening on {}:{}", options.host, x.http->port());
  return caf::none;
}

void http_api::stop() {
  auto& x = *impl_;
  if (!x.http)
    return;
  x.ctx.feed->close();
  stop_serving(x.ctx, x.http);
}

void http_api::set_reloader(config_reloader* reloader) {
  impl_->ctx.reloader = reloader;
}

void http_api::reconfigure(const fleet_config& config) {
  auto& x = *impl_;
  x.ctx.set_servers(config.servers);
  auto table = token_table_of(config.coordinator);
  std::lock_guard<std::mutex> guard{x.tokens_mtx};
  x.tokens = std::move(table);
}

void http_api::show_notifications(std::shared_ptr<const notifier> notifications) {
  impl_->ctx.notifications = std::move(notifications);
}

int http_api::port() const noexcept {
  return impl_->http ? impl_->http->port() : -1;
}

} // namespace fleet
