#include "coordinator/ledger/renewal_plan.hpp"

#include <algorithm>

namespace fleet {

caf::expected<bool> apply_renewal(const renewal& plan, int64_t now_ms, plan_limits& limits) {
  if (plan.add_gb) {
    if (limits.total_gb <= 0.0)
      return make_error(ec::invalid_argument,
                        "add_gb: client " + plan.email
                            + " has an unlimited quota; set one with set_total_gb");
    limits.total_gb += *plan.add_gb;
  }
  if (plan.set_total_gb)
    limits.total_gb = *plan.set_total_gb;
  if (plan.extend_days) {
    if (limits.expiry_time_ms <= 0)
      return make_error(ec::invalid_argument,
                        "extend_days: client " + plan.email
                            + " never expires; set a term with set_expiry_time_ms");
    limits.expiry_time_ms
        = std::max(limits.expiry_time_ms, now_ms) + *plan.extend_days * 86'400'000;
  }
  if (plan.set_expiry_time_ms)
    limits.expiry_time_ms = *plan.set_expiry_time_ms;
  return plan.reset_usage;
}

} // namespace fleet
