#include "coordinator/api/subscription_api.hpp"

#include "common/logging.hpp"
#include "coordinator/api/address_rate_limiter.hpp"
#include "coordinator/api/api_context.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/subscription/subscription.hpp"

#include <spdlog/spdlog.h>

namespace fleet {

namespace {

/// The parts of a subscription path: `/sub/{id}` or `/sub/{id}/{suffix}`.
struct sub_path {
  std::string id;
  std::string suffix;
};

std::optional<sub_path> parse_path(const std::string& path) {
  const std::string prefix = "/sub/";
  if (path.compare(0, prefix.size(), prefix) != 0)
    return std::nullopt;
  auto rest = path.substr(prefix.size());
  sub_path out;
  auto slash = rest.find('/');
  out.id = rest.substr(0, slash);
  if (slash != std::string::npos)
    out.suffix = rest.substr(slash + 1);
  if (out.suffix.find('/') != std::string::npos)
    return std::nullopt;
  return out;
}

/// The answer to every miss (unknown, malformed or refused id): the same, with no body.
server_response miss() {
  return {404, "text/plain; charset=utf-8", "", {{"Cache-Control", "no-store"}}};
}

/// The path of a request with its sub_id masked, for the log.
std::string loggable(const std::string& path) {
  auto parsed = parse_path(path);
  if (!parsed)
    return path.size() > 64 ? path.substr(0, 64) + "..." : path;
  return "/sub/" + masked_sub_id(parsed->id) + (parsed->suffix.empty() ? "" : "/" + parsed->suffix);
}

} // namespace

std::string masked_sub_id(const std::string& sub_id) {
  return sub_id.substr(0, std::min<size_t>(4, sub_id.size())) + "…(" + std::to_string(sub_id.size())
         + ")";
}

struct subscription_api::impl {
  caf::actor_system* system = nullptr;
  api_context ctx;
  std::string listen;
  std::string title;
  int64_t update_hours = 12;
  std::unique_ptr<address_rate_limiter> limiter;
  std::unique_ptr<http_server> http;
  std::shared_ptr<spdlog::logger> log = log_for("subscription");

  void handle(server_request& req, responder reply) {
    if (req.method != "GET" && req.method != "HEAD")
      return reply({405, "text/plain; charset=utf-8", "", {{"Allow", "GET, HEAD"}}});
    if (auto wait_ms = limiter->admit(req.remote_address, address_rate_limiter::clock::now());
        wait_ms > 0)
      return reply({429,
                    "text/plain; charset=utf-8",
                    "",
                    {{"Retry-After", std::to_string((wait_ms + 999) / 1000)}}});
    auto path = parse_path(req.path);
    auto format = path ? (path->suffix.empty() ? std::optional<subscription_format>{}
                                               : format_of_suffix(path->suffix))
                       : std::nullopt;
    // Every request that names an id goes through the same lookup, so that a miss takes as
    // long as a hit and says nothing about which ids exist.
    auto id = path ? path->id : std::string{};
    auto bad_suffix = path && !path->suffix.empty() && !format;
    const auto* agent = req.header("User-Agent");
    auto chosen = choose_format(format ? to_string(*format) : "", agent ? *agent : "");
    auto head = req.method == "HEAD";
    ask<subscription_answer>(ctx, reply, subscription_atom_v, id)
        .then([this, reply, chosen, bad_suffix, head](caf::expected<subscription_answer> answer) {
          if (!answer || !answer->found || bad_suffix)
            return reply(miss());
          if (answer->entries.empty()) {
            log->info("subscription {} lists nothing now: {}", masked_sub_id(answer->who.sub_id),
                      answer->nothing_because);
            // Clients keep what they had on a failed update; an empty list would wipe it.
            return reply({503, "text/plain; charset=utf-8", "", {{"Retry-After", "60"}}});
          }
          reply(render(*answer, chosen, head));
        });
  }

  server_response render(const subscription_answer& a, subscription_format f, bool head) const {
    auto rendered = render_subscription(f, a.who, a.entries);
    for (const auto& left : rendered.left_out)
      log->debug("subscription {} ({}) leaves out an entry: {}", masked_sub_id(a.who.sub_id),
                 to_string(f), left.reason);
    server_response out;
    out.status = 200;
    out.content_type = rendered.content_type;
    if (!head)
      out.body = std::move(rendered.body);
    out.headers = {
        {"Subscription-Userinfo",
         subscription_userinfo(a.upload, a.download, a.total_bytes, a.expire_s)},
        {"Profile-Update-Interval", std::to_string(update_hours)},
        {"Content-Disposition", content_disposition(title, rendered.filename)},
        {"Cache-Control", "no-store"},
    };
    if (!title.empty())
      out.headers.emplace_back("Profile-Title", profile_title(title));
    return out;
  }
};

subscription_api::subscription_api(const fleet_config& config, caf::actor_system& system,
                                   caf::actor coordinator)
    : impl_(std::make_unique<impl>()) {
  auto& x = *impl_;
  x.system = &system;
  x.ctx.coordinator = std::move(coordinator);
  x.listen = config.coordinator.subscription_listen;
  x.title = config.coordinator.subscription_title;
  x.update_hours = config.coordinator.subscription_update_hours;
  x.limiter
      = std::make_unique<address_rate_limiter>(config.coordinator.subscription_rate_limit, 10.0);
}

subscription_api::~subscription_api() {
  stop();
}

caf::error subscription_api::start() {
  auto& x = *impl_;
  auto address = parse_host_port(x.listen);
  if (!address)
    return make_error(ec::invalid_argument,
                      "coordinator.subscription_listen: expected host:port such as "
                      "0.0.0.0:2096, got \""
                          + x.listen + "\"");
  http_server_options options;
  options.host = address->host;
  options.port = address->port;
  options.loops = 2;
  options.max_body = 4096;
  options.idle_timeout = std::chrono::seconds{15};
  x.http = std::make_unique<http_server>(
      options, [&x](server_request& req, responder reply) { x.handle(req, std::move(reply)); },
      [](int status) {
        return server_response{status, "text/plain; charset=utf-8", "", {}};
      },
      [&x](const std::string& method, const std::string& path, int status) {
        x.log->debug("{} {} -> {}", method, loggable(path), status);
      });
  for (size_t i = 0; i < options.loops; ++i)
    x.ctx.loop_actors.push_back(std::make_unique<loop_actor>(*x.system, *x.http, i));
  if (auto err = x.http->start()) {
    x.ctx.loop_actors.clear();
    x.http.reset();
    return make_error(ec::io_error, "coordinator.subscription_listen: " + message_of(err)
                                        + " (in use, or not an address of this host)");
  }
  x.log->info("subscriptions served on {}:{}", options.host, x.http->port());
  return caf::none;
}

void subscription_api::stop() {
  auto& x = *impl_;
  if (!x.http)
    return;
  stop_serving(x.ctx, x.http);
}

int subscription_api::port() const noexcept {
  return impl_->http ? impl_->http->port() : -1;
}

} // namespace fleet
