#pragma once

#include "common/error.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace fleet {

/// A renewal (the API's `POST /api/v1/clients/{email}/renew`); unset = unchanged.
struct renewal {
  std::string email;
  std::optional<double> add_gb;
  std::optional<double> set_total_gb;
  std::optional<int64_t> extend_days;
  std::optional<int64_t> set_expiry_time_ms;
  /// Usage so far is forgotten (the bytes on the panels are not charged again).
  bool reset_usage = false;
};

/// A client's quota (GiB; 0 = unlimited) and expiry (Unix ms; 0 = never) as recorded.
struct plan_limits {
  double total_gb = 0.0;
  int64_t expiry_time_ms = 0;
};

/// Applies `plan` at `now_ms` to `limits`. Days are added to the later of the current expiry
/// and now, so an expired client gets the whole term. Refuses, naming the field, to add to an
/// unlimited quota or to extend a term that never ends (set them instead). Returns whether the
/// client's usage so far is to be forgotten.
[[nodiscard]] caf::expected<bool> apply_renewal(const renewal& plan, int64_t now_ms,
                                                plan_limits& limits);

} // namespace fleet
