#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace fleet {

/// A VPN client to create on a panel: the original `CreateClient` arguments (server_id,
/// user_id, uuid, total_gb, expiry_time) plus the fields a 3X-UI client also carries.
struct client_spec {
  std::string server_id;
  std::string user_id;
  std::string uuid;
  /// Traffic quota in GB; 0 = unlimited.
  double total_gb = 0.0;
  /// Expiry as Unix milliseconds; 0 = never.
  int64_t expiry_time = 0;

  // -- extensions ---------------------------------------------------------------------------

  /// Unique in the fleet, as on a panel; defaults to "u<user_id>".
  std::string email;
  std::string sub_id;
  std::optional<int64_t> inbound_id;
  bool enable = true;
};

} // namespace fleet
