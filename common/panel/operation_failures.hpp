#pragma once

#include "common/protocol.hpp"

#include <caf/error.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace fleet {

/// Counts the client operations of one probe that fail in a row because the panel fails (a
/// timeout, a refused connection, a 5xx, a garbled answer, or a refusal that is not about the
/// request, `is_panel_fault`), for passive ejection: the coordinator, not the probe, decides
/// whether the count takes the panel out. Domain errors (a duplicate email, a missing client)
/// say the panel works and count as successes. Plain state, not thread-safe.
class operation_failures {
public:
  explicit operation_failures(std::string server_id) : server_id_(std::move(server_id)) {}

  /// Feeds the outcome of one operation; returns the report to send: one on every failure
  /// and one on the success that ends a run of failures, nothing otherwise.
  [[nodiscard]] std::optional<operations_report> note(const caf::error& err);

  /// Failures in a row so far.
  [[nodiscard]] int64_t count() const noexcept { return count_; }

private:
  std::string server_id_;
  int64_t count_ = 0;
};

} // namespace fleet
