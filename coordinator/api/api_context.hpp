#pragma once

// What every route handler of the HTTP API shares, and the small helpers they use. Handlers
// run on the HTTP server's event loops and never wait there: they ask the coordinator actor
// by message through the actor of their loop and continue on that loop with the answer.

#include "common/config/config.hpp"
#include "common/logging.hpp"
#include "common/model/criteria.hpp"
#include "coordinator/api/api_errors.hpp"
#include "coordinator/api/fleet_body_cache.hpp"
#include "coordinator/api/http/router.hpp"
#include "coordinator/api/loop_actor.hpp"
#include "coordinator/events/event_feed.hpp"
#include "coordinator/events/event_log.hpp"
#include "coordinator/notify/notifier.hpp"
#include "coordinator/store/backup_worker.hpp"
#include "coordinator/store/store.hpp"

#include <caf/actor.hpp>
#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace fleet {

class config_reloader;

struct api_context {
  caf::actor coordinator;
  /// The actor of each event loop of the server, by loop index.
  std::vector<std::unique_ptr<loop_actor>> loop_actors;
  /// The event log, read from the event loops; null when the coordinator runs without a
  /// store.
  const event_log* events = nullptr;
  /// The store, for its condition; null when the coordinator runs without one.
  const store* db = nullptr;
  std::shared_ptr<event_feed> feed;
  /// Configured servers by id, as of now: replaced on reload, so held while used.
  [[nodiscard]] std::shared_ptr<const std::map<std::string, server_config>> servers() const;
  void set_servers(const std::vector<server_config>& configured);
  /// Changes with every `set_servers`.
  [[nodiscard]] uint64_t config_generation() const noexcept { return generation_.load(); }
  /// The rendered server lists of `GET /api/v1/servers`, `/health` and `/stats`.
  fleet_body_cache servers_list{false};
  fleet_body_cache health_list{true};
  fleet_body_cache stats_list{true};
  bool metrics_auth = false;
  /// `coordinator.subscription_base_url`, for `Client.subscription_url`.
  std::string subscription_base_url;
  /// Takes the backups asked for through the API; null when the coordinator runs without.
  backup_worker* backups = nullptr;
  /// Reloads the configuration file; null when the coordinator cannot.
  config_reloader* reloader = nullptr;
  /// Webhooks and alerts; null when the coordinator runs without.
  std::shared_ptr<const notifier> notifications;

  /// Answers by HTTP status, for `/metrics`.
  std::mutex counts_mtx;
  std::map<int, int64_t> answers;

private:
  std::atomic<uint64_t> generation_{0};
  mutable std::mutex servers_mtx_;
  std::shared_ptr<const std::map<std::string, server_config>> servers_;
};

/// A request to the coordinator on its way; `then` says what to do with the answer.
template <class T, class... Ts>
class asking {
public:
  asking(api_context& ctx, size_t loop, Ts... xs)
      : ctx_(ctx), loop_(loop), message_(std::move(xs)...) {}

  /// Calls `f` with the coordinator's answer of type `T` (or the error) on the loop of the
  /// request's connection. Without a timeout: the coordinator answers every request (panel
  /// calls have their own timeouts) and an ended coordinator makes CAF answer with an error.
  template <class F>
  void then(F f) && {
    auto* self = ctx_.loop_actors.at(loop_)->self();
    // An exception would end the loop's actor; the request's responder, left behind, answers
    // 500 instead.
    auto guarded = [f](caf::expected<T> answer) {
      try {
        f(std::move(answer));
      } catch (const std::exception& e) {
        log_for("api")->error("answering a request failed: {}", e.what());
      }
    };
    std::apply(
        [&](auto&... xs) {
          self->request(ctx_.coordinator, caf::infinite, std::move(xs)...)
              .then([guarded](T& x) { guarded(std::move(x)); },
                    [guarded](caf::error& e) { guarded(std::move(e)); });
        },
        message_);
  }

private:
  api_context& ctx_;
  size_t loop_;
  std::tuple<Ts...> message_;
};

/// Asks the coordinator `xs...` on behalf of the request `reply` answers; only on that
/// request's event loop (in a handler or a continuation):
/// `ask<selection>(ctx, reply, select_atom_v, criteria).then([](caf::expected<selection> s)
/// {...})`.
template <class T, class... Ts>
asking<T, std::decay_t<Ts>...> ask(api_context& ctx, const responder& reply, Ts&&... xs) {
  return {ctx, reply.loop(), std::forward<Ts>(xs)...};
}

void reply_json(const responder& reply, int status, const nlohmann::json& body);
void reply_error(const responder& reply, const api_error& err);

/// `err` as an answer, with `headers` besides its JSON body.
[[nodiscard]] server_response error_response(const api_error& err, server_fields headers = {});

/// Parses the request body as a JSON object; on failure answers 400 and returns nothing.
[[nodiscard]] std::optional<nlohmann::json> json_body(const server_request& req,
                                                      const responder& reply);

/// Answers 400 naming every problem when `problems` has errors; returns whether it did.
[[nodiscard]] bool refuse_problems(const responder& reply, const field_problems& problems);

/// `text` as a whole number from 0 to `max`; nothing when it is not one.
[[nodiscard]] std::optional<uint64_t> whole_number(const std::string& text, uint64_t max);

/// Reads an unsigned integer query parameter; answers 400 and returns nothing when it is not
/// one or is above `max`.
[[nodiscard]] std::optional<uint64_t> query_number(const server_request& req,
                                                   const responder& reply, const char* name,
                                                   uint64_t fallback, uint64_t max);

/// The query parameter `name`, or "" when there is none.
[[nodiscard]] std::string query_text(const server_request& req, const char* name);

/// Disconnects every loop's actor on its loop and waits until they are (afterwards no answer
/// from the coordinator reaches a loop), then stops `http` and forgets both.
void stop_serving(api_context& ctx, std::unique_ptr<http_server>& http);

// Route groups (one file each).
void add_server_routes(router& routes, api_context& ctx);
void add_client_routes(router& routes, api_context& ctx);
void add_usage_routes(router& routes, api_context& ctx);
void add_event_routes(router& routes, api_context& ctx);
void add_operation_routes(router& routes, api_context& ctx);
void add_admin_routes(router& routes, api_context& ctx);
/// The web dashboard's files under `/ui/` (no token needed for them).
void add_ui_routes(router& routes);
void add_reload_routes(router& routes, api_context& ctx);
void add_webhook_routes(router& routes, api_context& ctx);

} // namespace fleet
