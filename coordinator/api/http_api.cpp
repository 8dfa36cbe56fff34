#include "coordinator/api/http_api.hpp"

#include "common/logging.hpp"
#include "coordinator/api/api_context.hpp"
#include "coordinator/api/digest.hpp"
#include "coordinator/api/rate_limiter.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <openssl/crypto.h>
#include <thread>

namespace fleet {

namespace {

/// Threads serving requests; event streams hold one each while open.
constexpr size_t worker_threads = 64;

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

std::string bearer_of(const httplib::Request& req) {
  auto header = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0)
    return {};
  return header.substr(prefix.size());
}

} // namespace

struct http_api::impl {
  api_context ctx;
  std::vector<sha256_digest> tokens;
  std::unique_ptr<rate_limiter> limiter;
  double rate = 0;
  std::string listen;
  httplib::Server http;
  std::thread thread;
  int port = 0;
  std::shared_ptr<spdlog::logger> log = log_for("api");

  void count(int status) {
    std::lock_guard<std::mutex> guard{ctx.counts_mtx};
    ++ctx.answers[status];
  }

  httplib::Server::HandlerResponse authorize(const httplib::Request& req, httplib::Response& res) {
    auto protected_path
        = req.path.rfind("/api/", 0) == 0 || (ctx.metrics_auth && req.path == "/metrics");
    if (!protected_path)
      return httplib::Server::HandlerResponse::Unhandled;
    if (auto token = matching_token(bearer_of(req), tokens); token >= 0) {
      auto wait_ms = limiter->admit(static_cast<size_t>(token), rate_limiter::clock::now());
      if (wait_ms == 0)
        return httplib::Server::HandlerResponse::Unhandled;
      res.set_header("Retry-After", std::to_string((wait_ms + 999) / 1000));
      reply_error(res, api_error_of(429, "rate_limited",
                                    "more than " + std::to_string(static_cast<long>(rate))
                                        + " requests per second with this token; retry later",
                                    {{"retry_after_ms", wait_ms}}));
      return httplib::Server::HandlerResponse::Handled;
    }
    res.set_header("WWW-Authenticate", "Bearer");
    reply_error(res, api_error_of(401, "unauthenticated",
                                  tokens.empty()
                                      ? "no API token is configured; set coordinator.api_tokens "
                                        "or FLEET_API_TOKEN and restart"
                                      : "missing or wrong bearer token; send Authorization: "
                                        "Bearer <token>"));
    return httplib::Server::HandlerResponse::Handled;
  }

  /// Gives errors httplib produces itself (no route, body too large, bad request) the
  /// contract's JSON body.
  void fill_error(const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty())
      return;
    if (res.status == 404)
      reply_error(res, api_error_of(404, "not_found", "no route " + req.method + " " + req.path));
    else if (res.status == 413)
      reply_error(res, api_error_of(413, "payload_too_large",
                                    "the request body is larger than " + std::to_string(max_body)
                                        + " bytes"));
    else if (res.status == 400)
      reply_error(res, api_error_of(400, "invalid_argument", "malformed HTTP request"));
    else
      reply_error(res, api_error_of(res.status, "internal",
                                    "the request failed with HTTP " + std::to_string(res.status)));
  }
};

http_api::http_api(const fleet_config& config, caf::actor_system& system, caf::actor coordinator,
                   const store* db, std::shared_ptr<event_feed> feed)
    : impl_(std::make_unique<impl>()) {
  auto& ctx = impl_->ctx;
  ctx.system = &system;
  ctx.coordinator = std::move(coordinator);
  ctx.db = db;
  ctx.feed = std::move(feed);
  ctx.metrics_auth = config.coordinator.metrics_auth;
  for (const auto& s : config.servers) {
    ctx.servers[s.id] = s;
  }
  for (const auto& t : config.coordinator.api_tokens)
    impl_->tokens.push_back(sha256(t));
  impl_->listen = config.coordinator.listen;
  impl_->rate = config.coordinator.rate_limit;
  impl_->limiter = std::make_unique<rate_limiter>(impl_->rate, impl_->tokens.size());
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
  auto& http = x.http;
  http.new_task_queue = [] { return new httplib::ThreadPool(worker_threads); };
  http.set_tcp_nodelay(true);
  // The library also sets SO_REUSEPORT, which would let a second coordinator share the port
  // and receive half of the requests; a port in use must be an error instead.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // Bots keep their connections (the library's default closes one after 5 requests). An
  // idle connection holds `stop` for up to its keep-alive timeout, so that stays short.
  http.set_keep_alive_max_count(100'000);
  http.set_keep_alive_timeout(2);
  http.set_payload_max_length(max_body);
  http.set_pre_routing_handler(
      [&x](const httplib::Request& req, httplib::Response& res) { return x.authorize(req, res); });
  http.set_error_handler(
      [&x](const httplib::Request& req, httplib::Response& res) { x.fill_error(req, res); });
  http.set_logger([&x](const httplib::Request& req, const httplib::Response& res) {
    x.count(res.status);
    x.log->debug("{} {} -> {}", req.method, req.path, res.status);
  });
  add_server_routes(http, x.ctx);
  add_client_routes(http, x.ctx);
  add_event_routes(http, x.ctx);
  add_operation_routes(http, x.ctx);
  auto [host, port] = *address;
  x.port = port == 0 ? http.bind_to_any_port(host) : (http.bind_to_port(host, port) ? port : -1);
  if (x.port <= 0)
    return make_error(ec::io_error, "coordinator.listen: cannot listen on " + impl_->listen
                                        + " (in use, or not an address of this host)");
  x.thread = std::thread{[&http] { http.listen_after_bind(); }};
  if (x.tokens.empty())
    x.log->warn("no API token is configured: every /api/ request is refused; set "
                "coordinator.api_tokens or FLEET_API_TOKEN");
  x.log->info("HTTP API listening on {}:{}", host, x.port);
  return caf::none;
}

void http_api::stop() {
  if (!impl_->thread.joinable())
    return;
  impl_->ctx.feed->close();
  impl_->http.stop();
  impl_->thread.join();
  impl_->ctx.drop_callers();
}

int http_api::port() const noexcept {
  return impl_->port;
}

} // namespace fleet
