#pragma once

#include "common/protocol.hpp"
#include "coordinator/ledger/client_book.hpp"
#include "coordinator/ledger/traffic_ledger.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace fleet {

/// A client whose limit changed in a round.
struct limit_change {
  std::string email;
  limit_reason before = limit_reason::none;
  limit_reason after = limit_reason::none;
  /// Fleet usage at the change.
  int64_t used = 0;
};

/// What charging one panel's counters did, for the coordinator to write and act on.
struct sample_round {
  /// Ledger entries that changed, to be written in one batch with the buckets.
  std::vector<ledger_record> entries;
  /// Clients' hourly buckets this round closed (each entry holds its open one until a sample
  /// of a later hour adds bytes).
  std::vector<usage_bucket> client_hours;
  /// Bytes the panel carried in this round (owner = the server id).
  usage_bucket server_hour;
  /// Clients living on this panel whose limit changed (the book holds the new one).
  std::vector<limit_change> changes;
  /// Clients living on this panel whose copy there differs from what it must be (enabled,
  /// quota, expiry): they are amended.
  std::vector<std::string> to_amend;
  /// Counters of emails the fleet does not know: never charged to anyone.
  int64_t foreign = 0;
  /// Clients whose counters grew faster than a link could carry (charged all the same).
  std::vector<std::string> suspicious;
  /// Clients whose counters went down (a panel reset, wipe or restore): a new baseline.
  int64_t new_baselines = 0;
};

/// Charges the `counters` one check of `server_id` read at `read_at_ms` to `ledger`, and
/// decides at `now_ms`, for every client living on that server, whether its limit changed
/// (updating `book`) and whether its panel copy must be amended. Plain: writes nothing.
[[nodiscard]] sample_round charge_counters(traffic_ledger& ledger, client_book& book,
                                           const std::string& server_id,
                                           const std::vector<client_counters>& counters,
                                           int64_t read_at_ms, int64_t now_ms);

/// Where the clients of one panel's last check were found in the book and the ledger, by
/// their place in the check's list. A panel lists its clients in the same order check after
/// check, so the next round of that panel finds them with an array access each instead of
/// two hash lookups; a place whose client changed is looked up again. One per panel.
struct panel_roster {
  std::vector<std::pair<client_book::position, traffic_ledger::position>> places;
};

/// `charge_counters`, finding the clients where `roster` says they were, and updating it.
[[nodiscard]] sample_round charge_counters(traffic_ledger& ledger, client_book& book,
                                           panel_roster& roster, const std::string& server_id,
                                           const std::vector<client_counters>& counters,
                                           int64_t read_at_ms, int64_t now_ms);

/// What the panel copy of a client must hold: enabled, `totalGB` and `expiryTime`.
struct panel_terms {
  bool enable = true;
  int64_t total_bytes = 0;
  int64_t expiry_time_ms = 0;
};

/// The panel copy of `client` on the panel whose counters show `panel_counted` bytes, with
/// `used` bytes of fleet usage.
[[nodiscard]] panel_terms panel_terms_of(const booked_client& client, int64_t used,
                                         int64_t panel_counted) noexcept;

} // namespace fleet
