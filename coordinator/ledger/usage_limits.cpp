#include "coordinator/ledger/usage_limits.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fleet {

const char* to_string(limit_reason r) noexcept {
  switch (r) {
  case limit_reason::quota:
    return "quota";
  case limit_reason::expired:
    return "expired";
  case limit_reason::none:
    break;
  }
  return "";
}

limit_reason parse_limit_reason(const std::string& text) noexcept {
  if (text == "quota")
    return limit_reason::quota;
  if (text == "expired")
    return limit_reason::expired;
  return limit_reason::none;
}

int64_t bytes_of_gb(double gb) noexcept {
  auto bytes = std::llround(gb * 1024.0 * 1024.0 * 1024.0);
  return std::max<int64_t>(bytes, 0);
}

limit_reason limit_of(const client_terms& terms, int64_t used, int64_t now_ms) noexcept {
  if (terms.total_bytes > 0 && used >= terms.total_bytes)
    return limit_reason::quota;
  if (terms.expiry_time_ms > 0 && now_ms >= terms.expiry_time_ms)
    return limit_reason::expired;
  return limit_reason::none;
}

std::optional<int64_t> remaining_bytes(const client_terms& terms, int64_t used) noexcept {
  if (terms.total_bytes <= 0)
    return std::nullopt;
  return std::max<int64_t>(terms.total_bytes - used, 0);
}

int64_t panel_quota(const client_terms& terms, int64_t used, int64_t panel_counted) noexcept {
  auto left = remaining_bytes(terms, used);
  if (!left)
    return 0;
  auto counted = std::max<int64_t>(panel_counted, 0);
  auto total = counted > std::numeric_limits<int64_t>::max() - *left
                   ? std::numeric_limits<int64_t>::max()
                   : counted + *left;
  return std::max<int64_t>(total, 1);
}

} // namespace fleet
