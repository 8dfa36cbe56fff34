#pragma once

#include "common/model/evacuation.hpp"
#include "common/model/health.hpp"

#include <cstdint>
#include <string>
#include <tuple>

namespace fleet {

/// Usage figures of one server. All fields but `online_clients` are the original `ServerStats`.
struct server_stats {
  std::string server_id;
  int64_t total_clients = 0;
  /// Enabled, not expired, not over quota.
  int64_t active_clients = 0;
  /// Connected right now (extension).
  int64_t online_clients = 0;
  int64_t max_clients = 0;
  /// `current_load` × 100.
  double load_percentage = 0.0;
  int64_t bytes_transferred = 0;
  int64_t connections_count = 0;
};

/// One server as the API and the metrics see it.
[[nodiscard]] inline bool operator==(const server_stats& a, const server_stats& b) {
  auto fields = [](const server_stats& x) {
    return std::tie(x.server_id, x.total_clients, x.active_clients, x.online_clients, x.max_clients,
                    x.load_percentage, x.bytes_transferred, x.connections_count);
  };
  return fields(a) == fields(b);
}

struct server_view {
  server_health health;
  server_stats stats;
  evacuation_status evacuation;
};

[[nodiscard]] inline bool operator==(const server_view& a, const server_view& b) {
  return a.health == b.health && a.stats == b.stats && a.evacuation == b.evacuation;
}

[[nodiscard]] inline bool operator!=(const server_view& a, const server_view& b) {
  return !(a == b);
}

} // namespace fleet
