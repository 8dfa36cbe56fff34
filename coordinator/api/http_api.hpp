#pragma once

#include "common/config/config.hpp"
#include "common/error.hpp"
#include "coordinator/events/event_feed.hpp"
#include "coordinator/events/event_log.hpp"
#include "coordinator/store/store.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <memory>
#include <string>

namespace fleet {

class backup_worker;
class config_reloader;
class notifier;

/// The coordinator's HTTP/JSON API (see the API contract): bearer-token auth on `/api/`, JSON
/// errors with the contract's codes, a body size limit, and handlers that talk to the
/// coordinator actor by message without waiting on a thread for the answer.
///
/// Lifecycle: `start` binds and starts serving on event loops of its own (one per core);
/// `stop` (or destruction) ends open event streams, stops serving and joins. Not thread-safe
/// itself.
class http_api {
public:
  /// Largest accepted request body.
  static constexpr size_t max_body = 1 << 20;

  /// `db` (the event log and the store's condition for `/readyz`; may be null) and `backups`
  /// (may be null: no backups through the API) must outlive the API.
  http_api(const fleet_config& config, caf::actor_system& system, caf::actor coordinator,
           const store* db, std::shared_ptr<event_feed> feed, backup_worker* backups = nullptr);
  ~http_api();

  http_api(const http_api&) = delete;
  http_api& operator=(const http_api&) = delete;

  /// Binds `coordinator.listen` ("host:port"; port 0 picks a free one); fails with
  /// `io_error` naming the address when it cannot.
  [[nodiscard]] caf::error start();

  void stop();

  /// Lets `POST /api/v1/admin/reload` reload the configuration through `reloader` (which
  /// must outlive the API); without one that route answers 503. Call before `start`.
  void set_reloader(config_reloader* reloader);

  /// Takes the servers and the API tokens (with their roles and rate limit) of a reloaded
  /// configuration; requests already past the token check finish as they are. Thread-safe.
  void reconfigure(const fleet_config& config);
  /// Shows the statuses of `notifications` (webhooks, alerts) at `/api/v1/webhooks` and in
  /// `/metrics`; call before `start`.
  void show_notifications(std::shared_ptr<const notifier> notifications);

  /// The port actually bound (after `start`).
  [[nodiscard]] int port() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace fleet
