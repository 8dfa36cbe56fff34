#pragma once

#include "coordinator/events/event_log.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace fleet {

/// Where one webhook stands, as `GET /api/v1/webhooks` and `/metrics` show it. Holds no
/// secret: `url` is redacted (no user, password or query).
struct webhook_status {
  std::string url;
  std::vector<std::string> events;
  /// Every event up to this seq was delivered or is not for this webhook.
  uint64_t cursor = 0;
  /// Seq of the event being delivered or waiting for its next attempt; 0 when idle.
  uint64_t pending_seq = 0;
  /// Failed attempts at `pending_seq` so far.
  int64_t attempts = 0;
  std::string last_error;
  /// Unix ms of the last failure / success / next attempt; 0 = never or none planned.
  int64_t last_error_ms = 0;
  int64_t last_success_ms = 0;
  int64_t next_attempt_ms = 0;
  uint64_t delivered = 0;
  uint64_t failed = 0;
};

/// The webhooks' statuses, written by their actors and read by the API.
///
/// Thread-safety: every method may be called from any thread (one mutex, held briefly).
class webhook_board {
public:
  /// `log` (may be null) gives the newest seq for the lag; it must outlive the board's readers.
  explicit webhook_board(const event_log* log) : log_(log) {}

  /// Adds a webhook's row; returns its index.
  size_t add(webhook_status initial);

  /// Changes row `index` under the lock.
  void update(size_t index, const std::function<void(webhook_status&)>& change);

  [[nodiscard]] std::vector<webhook_status> snapshot() const;

  /// Newest seq of the log (0 without one).
  [[nodiscard]] uint64_t latest() const;

  /// `{"webhooks": [{id, url, events, cursor, lag, pending_seq, attempts, last_error,
  /// last_error_at, last_success_at, next_attempt_at, delivered, failed}]}`.
  [[nodiscard]] nlohmann::json to_json() const;

  /// Deliveries and lag in the Prometheus text format.
  [[nodiscard]] std::string metrics_text() const;

private:
  const event_log* log_;
  mutable std::mutex mtx_;
  std::vector<webhook_status> rows_;
};

} // namespace fleet
