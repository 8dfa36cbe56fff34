#pragma once

// What every route handler of the HTTP API shares, and the small helpers they use. Handlers
// run on the HTTP server's own threads and talk to the coordinator actor by message through
// a scoped actor of their thread: they block their HTTP thread, never a scheduler thread.

#include "common/config/config.hpp"
#include "common/model/criteria.hpp"
#include "coordinator/api/api_errors.hpp"
#include "coordinator/events/event_feed.hpp"
#include "coordinator/store/store.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace fleet {

struct api_context {
  caf::actor_system* system = nullptr;
  caf::actor coordinator;
  /// Read-only use from HTTP threads (events, idempotent answers); may be null.
  const store* db = nullptr;
  std::shared_ptr<event_feed> feed;
  /// Configured servers by id.
  std::map<std::string, server_config> servers;
  bool metrics_auth = false;
  std::vector<std::string> tokens;

  /// Answers by HTTP status, for `/metrics`.
  std::mutex counts_mtx;
  std::map<int, int64_t> answers;

  /// One scoped actor per HTTP thread, made on its first request (making one per request
  /// halves the throughput). Dropped by `drop_callers` after the HTTP threads have ended and
  /// before the actor system does.
  std::mutex callers_mtx;
  std::map<std::thread::id, std::unique_ptr<caf::scoped_actor>> callers;

  /// The calling thread's scoped actor.
  caf::scoped_actor& caller();
  void drop_callers();
};

/// Asks the coordinator and waits for its answer of type `T` (or the error). Without a
/// timeout: the coordinator answers every request (panel calls have their own timeouts), an
/// ended coordinator makes CAF answer with an error at once, and in CAF 0.17 a timed request
/// leaves a message behind in a reused blocking actor's mailbox.
template <class T, class... Ts>
caf::expected<T> ask(api_context& ctx, Ts&&... xs) {
  auto& self = ctx.caller();
  caf::expected<T> out{caf::error{}};
  self->request(ctx.coordinator, caf::infinite, std::forward<Ts>(xs)...)
      .receive([&](T& x) { out = std::move(x); }, [&](caf::error& e) { out = std::move(e); });
  return out;
}

/// Answers `err`; for `no_server_available` the details say why per cause, as the
/// coordinator diagnoses `criteria`.
void reply_selection_error(api_context& ctx, httplib::Response& res, const caf::error& err,
                           const selection_criteria& criteria);

void reply_json(httplib::Response& res, int status, const nlohmann::json& body);
void reply_error(httplib::Response& res, const api_error& err);

/// Parses the request body as a JSON object; on failure answers 400 and returns nothing.
[[nodiscard]] std::optional<nlohmann::json> json_body(const httplib::Request& req,
                                                      httplib::Response& res);

/// Answers 400 naming every problem when `problems` has errors; returns whether it did.
[[nodiscard]] bool refuse_problems(httplib::Response& res, const field_problems& problems);

/// `text` as a whole number from 0 to `max`; nothing when it is not one.
[[nodiscard]] std::optional<uint64_t> whole_number(const std::string& text, uint64_t max);

/// Reads an unsigned integer query parameter; answers 400 and returns nothing when it is not
/// one or is above `max`.
[[nodiscard]] std::optional<uint64_t> query_number(const httplib::Request& req,
                                                   httplib::Response& res, const char* name,
                                                   uint64_t fallback, uint64_t max);

// Route groups (one file each).
void add_server_routes(httplib::Server& http, api_context& ctx);
void add_client_routes(httplib::Server& http, api_context& ctx);
void add_event_routes(httplib::Server& http, api_context& ctx);
void add_operation_routes(httplib::Server& http, api_context& ctx);

} // namespace fleet
