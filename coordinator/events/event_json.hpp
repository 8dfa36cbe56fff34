#pragma once

#include "coordinator/events/event_log.hpp"

#include <nlohmann/json.hpp>

namespace fleet {

/// An event of the log as the API and webhooks show it:
/// `{seq, time, type, server_id?, email?, data}`.
[[nodiscard]] nlohmann::json event_json(const event_record& x);

} // namespace fleet
