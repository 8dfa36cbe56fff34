#pragma once

#include "common/error.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace fleet {

/// One entry of the fleet's event log.
struct event_record {
  /// Fleet-wide, increasing from 1, never reused.
  uint64_t seq = 0;
  int64_t time_ms = 0;
  /// server.healthy, client.created, ... (see the API contract).
  std::string type;
  std::string server_id;
  std::string email;
  /// Details as a JSON object.
  nlohmann::json data = nlohmann::json::object();
};

/// Reads the fleet's event log: what the API's replay and streams need, and nothing of the
/// store behind it. Thread-safety: both methods may be called from any thread while the
/// coordinator appends.
class event_log {
public:
  virtual ~event_log() = default;

  /// At most `limit` events with a sequence number above `after`, oldest first.
  [[nodiscard]] virtual caf::expected<std::vector<event_record>>
  events_after(uint64_t after, size_t limit) const = 0;

  /// Sequence number of the newest event; 0 when there is none.
  [[nodiscard]] virtual uint64_t last_event_seq() const noexcept = 0;
};

} // namespace fleet
