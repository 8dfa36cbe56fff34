#pragma once

#include "common/duration.hpp"
#include "common/error.hpp"
#include "common/panel/placement.hpp"
#include "common/protocol.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace fleet {

/// How a probe batches and retries client additions on its panel.
struct placement_policy {
  /// Most orders sent in one call (at least 1).
  size_t max_batch = 100;
  /// Retries of a batch after a retryable failure (the first attempt is not a retry).
  int64_t max_retries = 3;
  /// Delay before the first retry; the n-th attempt's retry waits `retry_delay * n`.
  millis retry_delay{5'000};
};

/// One call to send to the panel: `place_clients(target, verify, orders)`.
struct placement_attempt {
  std::vector<client_order> orders;
  /// Where the last batch went; empty when the probe has to look (first batch, after a
  /// failure).
  std::optional<placement_target> target;
  /// A retry may follow an attempt that did reach the panel: look before adding again.
  bool verify = false;
  /// 1 for the first attempt of a batch.
  int64_t attempt = 1;
};

/// The answer for one order: its inbound id, or the error (`conflict` when its email is taken
/// by another client on the panel).
struct placement_delivery {
  uint64_t ticket = 0;
  caf::expected<int64_t> result{int64_t{0}};
};

/// What to do after an attempt: send the same batch again after `retry_after`, or answer
/// `deliveries` (then the next batch may start).
struct placement_step {
  std::optional<millis> retry_after;
  std::vector<placement_delivery> deliveries;
};

/// The placement decisions of one probe, without I/O: orders wait in arrival order, at most
/// one batch is at the panel at a time (the panel serialises nothing itself) and orders that
/// arrive meanwhile go into the next batch. A retryable failure is retried `max_retries`
/// times, `retry_delay * attempt` apart, with `verify` on; any other outcome answers every
/// order of the batch. Plain state: not thread-safe, the probe actor owns one.
class placement_queue {
public:
  placement_queue(std::string server_id, placement_policy policy);

  /// Queues `order`; returns the ticket its delivery carries.
  uint64_t enqueue(client_order order);

  /// Takes the next batch when none is at the panel and orders wait; otherwise nothing.
  [[nodiscard]] std::optional<placement_attempt> next();

  /// The current batch again, as the next attempt (after `retry_after` has passed).
  [[nodiscard]] placement_attempt retry();

  /// Feeds the outcome of the current attempt.
  [[nodiscard]] placement_step finish(const caf::expected<placement_outcome>& outcome);

  /// A batch is at the panel or waiting for its retry.
  [[nodiscard]] bool busy() const noexcept { return !batch_.empty(); }

  /// An order for `email` (in any letter case) waits or is in the current batch: until it is
  /// answered, the panel may still get it.
  [[nodiscard]] bool holds(const std::string& email) const;

  /// Orders in the current batch.
  [[nodiscard]] size_t batch_size() const noexcept { return batch_.size(); }

  /// Orders waiting for a later batch.
  [[nodiscard]] size_t waiting() const noexcept { return waiting_.size(); }

  /// Attempts made on the current batch so far.
  [[nodiscard]] int64_t attempt() const noexcept { return attempt_; }

private:
  struct ticketed {
    uint64_t ticket;
    client_order order;
  };

  placement_attempt attempt_now();

  std::string server_id_;
  placement_policy policy_;
  std::deque<ticketed> waiting_;
  std::vector<ticketed> batch_;
  int64_t attempt_ = 0;
  uint64_t next_ticket_ = 1;
  std::optional<placement_target> target_;
};

} // namespace fleet
