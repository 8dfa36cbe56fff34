#pragma once

#include "common/model/health.hpp"
#include "common/model/stats.hpp"
#include "coordinator/ledger/traffic_ledger.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace fleet {

/// Counters the coordinator keeps for `/metrics`. Plain data, owned by the coordinator actor.
struct fleet_metrics {
  /// (strategy, outcome) -> selections; outcome is "selected" or an error code.
  std::map<std::pair<std::string, std::string>, int64_t> selections;
  /// (operation, result) -> client operations sent to panels; result is "ok" or a code.
  std::map<std::pair<std::string, std::string>, int64_t> panel_calls;
  /// verdict -> health checks.
  std::map<std::string, int64_t> checks;
  /// type -> events appended.
  std::map<std::string, int64_t> events;
  /// Clients moved by evacuation since start-up.
  int64_t moved_clients = 0;
  /// Clients waiting to be moved by evacuations under way.
  int64_t pending_moves = 0;
  /// Copies left on servers by moves and not yet deleted there.
  int64_t stale_copies = 0;
  /// Bytes every server carried for the fleet's clients, from the ledger.
  std::map<std::string, byte_counts> carried;
  /// Clients on each server the fleet does not know, at its last check.
  std::map<std::string, int64_t> foreign;
  /// Whether the store can write now.
  bool store_writable = true;
  /// Times the store stopped writing since start-up.
  int64_t store_outages = 0;
  /// Bytes in the store's memtables (written, not yet flushed to table files).
  uint64_t store_memtable_bytes = 0;
};

/// Renders the coordinator's metrics in the Prometheus text format (version 0.0.4).
/// `agents` maps every configured agent to whether it is connected.
[[nodiscard]] std::string render_metrics(const fleet_metrics& m,
                                         const std::vector<server_view>& servers, bool panic,
                                         const std::map<std::string, bool>& agents);

} // namespace fleet
