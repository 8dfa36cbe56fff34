#pragma once

#include "common/protocol.hpp"
#include "coordinator/store/records.hpp"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace fleet {

/// The difference between the clients the fleet recorded for one server (desired) and the
/// clients its panel holds (actual), as found by one reconciliation.
struct drift_report {
  std::string server_id;
  int64_t checked_at_ms = 0;
  /// Recorded for this server but not on the panel (deleted there, or the panel was wiped or
  /// restored from an old backup).
  std::vector<std::string> missing;
  /// On the panel but not recorded for this server (added by hand, or the orphan of a create
  /// that failed everywhere). Reported, never deleted.
  std::vector<std::string> foreign;
  /// Copies of clients that moved to another server, or that a create may have left here
  /// before it failed over, still on this panel; deleted by the coordinator (never foreign).
  std::vector<std::string> stale;
  /// On the panel with another protocol key than recorded: the user's link no longer works.
  std::vector<std::string> wrong_key;
  /// On the panel enabled while recorded disabled or limited, or the other way round.
  std::vector<std::string> wrong_enable;
  /// Clients re-added or corrected by the repair that followed.
  int64_t repaired = 0;
  /// Why the panel could not be read or repaired; empty when it was.
  std::string error;

  /// Nothing differs.
  [[nodiscard]] bool clean() const noexcept {
    return missing.empty() && foreign.empty() && wrong_key.empty() && wrong_enable.empty();
  }
};

/// Compares the `desired` clients of `server_id` with the panel's `actual` ones. Emails in
/// `skip` (operations in flight) are left out, and those in `stale` (copies of moved clients)
/// are reported as stale; emails compare case-insensitively as on a panel.
[[nodiscard]] drift_report compare_clients(const std::string& server_id,
                                           const std::vector<client_record>& desired,
                                           const std::vector<panel_entry>& actual,
                                           const std::set<std::string>& skip,
                                           const std::set<std::string>& stale = {});

} // namespace fleet
