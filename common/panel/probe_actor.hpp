#pragma once

#include "common/config/config.hpp"
#include "common/panel/health_tracker.hpp"
#include "common/panel/panel_client.hpp"
#include "common/panel/placement.hpp"
#include "common/protocol.hpp"

#include <caf/actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>

namespace spdlog {
class logger;
} // namespace spdlog

namespace fleet {

/// State of the probe of one panel: its client, its health tracker and the check loop.
struct probe_state {
  static inline const char* name = "probe";

  server_config server;
  std::shared_ptr<panel_client> client;
  std::unique_ptr<health_tracker> tracker;
  std::mt19937_64 rng;
  /// A check is running; ticks arriving meanwhile are skipped, never overlapped.
  bool in_flight = false;
  /// Where reports go.
  caf::actor coordinator;
  /// Results of recent checks (true = passed) for the availability figure.
  std::deque<bool> recent;
  size_t recent_capacity = 1;
  std::shared_ptr<spdlog::logger> log;
  management_settings settings;

  // -- client placement -----------------------------------------------------------------------

  struct pending_placement {
    client_order order;
    caf::response_promise promise;
  };

  /// Orders waiting for the next batch.
  std::deque<pending_placement> waiting;
  /// The batch being sent to the panel (one at a time: the panel serialises nothing itself).
  std::vector<pending_placement> batch;
  int attempt = 0;
  bool placing = false;
  /// Where the last batch went; reused until a failure makes the probe look again.
  std::optional<placement_target> target;

  // -- other client operations ----------------------------------------------------------------

  /// Deliveries of operations waiting for the panel, by operation id.
  std::map<uint64_t, std::function<void()>> finishing;
  uint64_t next_op = 1;
  /// Client operations that failed in a row with a network-class error (reported).
  int64_t passive_failures = 0;

  /// Completes `report` (state, counters, availability) after a check; returns it.
  health_report apply(health_report report);
};

/// The probe actor of one panel: checks it on a jittered, state-dependent schedule through
/// the shared HTTP engine (never blocking a scheduler thread), and sends every result to
/// `coordinator` as `(health_atom, health_report)` (`changed` tells transitions apart from
/// load samples). It also adds clients: `(place_atom, client_order)` -> inbound id; orders
/// arriving while a call is running are batched into the next call, retryable failures are
/// retried `max_retries` times `retry_delay` apart (growing). `(verify_atom, email)` -> the
/// inbound holding that email, or 0; `(amend_atom, client_order)` -> inbound id;
/// `(remove_atom, email)` -> whether it was there; `(usage_atom, email)` -> `client_usage`;
/// `(inventory_atom)` -> every client on the panel. Client operations that fail in a row
/// are reported as `(health_atom, operations_report)`. `engine` must outlive the actor.
caf::behavior probe(caf::stateful_actor<probe_state>* self, server_config server,
                    http_engine* engine, management_settings settings, caf::actor coordinator);

} // namespace fleet
