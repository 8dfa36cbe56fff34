#pragma once

// JSON forms of the API (see the contract): what handlers answer and how request bodies are
// read. Readers tolerate unknown fields and report every wrong field by name.

#include "common/config/config.hpp"
#include "common/field_problem.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/events/event_json.hpp"
#include "coordinator/metrics/fleet_metrics.hpp"
#include "coordinator/store/records.hpp"

#include <nlohmann/json.hpp>

namespace fleet {

/// `Server`: configuration (never credentials), state, health and stats.
[[nodiscard]] nlohmann::json server_json(const server_config& config, const server_view& view);

/// A server's `evacuation`: `{state, moved, pending, held_back_because, due_at, by_operator,
/// last_error, stale_copies}`.
[[nodiscard]] nlohmann::json evacuation_json(const evacuation_status& x);

/// An agent: `{id, connected, servers, serving, since, last_disconnect}`.
[[nodiscard]] nlohmann::json agent_json(const agent_status& x);

/// `Client`, with `subscription_url` = `subscription_base` + "/sub/" + sub_id (null without a
/// base).
[[nodiscard]] nlohmann::json client_json(const client_record& x,
                                         const std::string& subscription_base = {});

/// `Client` plus its fleet `usage` `{up, down, total, by_server}`, `remaining_bytes` (null =
/// unlimited), `traffic` from the panel (null when the panel could not be asked or was not
/// asked, with `traffic_error`) and the server's `state`.
[[nodiscard]] nlohmann::json client_view_json(const client_view& x,
                                              const std::string& subscription_base = {});

/// A selection answer: `{server_id, name, region, strategy, load}`.
[[nodiscard]] nlohmann::json selection_json(const selection& x);

/// Reads the body of `POST /api/v1/clients`.
[[nodiscard]] field_problems read_create(const nlohmann::json& body, create_request& out);

/// Reads the body of `PATCH /api/v1/clients/{email}`; at least one field must be present.
[[nodiscard]] field_problems read_patch(const nlohmann::json& body, client_patch& out);

/// Reads the body of `POST /api/v1/clients/{email}/renew`: at least one change, at most one
/// of add_gb/set_total_gb and of extend_days/set_expiry_time_ms.
[[nodiscard]] field_problems read_renewal(const nlohmann::json& body, renewal& out);

/// `{up, down, total}`.
[[nodiscard]] nlohmann::json bytes_json(const byte_counts& x);

/// An hourly usage series over [from_ms, to_ms): `{<owner_key>: owner, step: "1h", from, to,
/// points: [{time, up, down, total}]}`, every hour present (zero when nothing was carried).
[[nodiscard]] nlohmann::json usage_series_json(const char* owner_key, const std::string& owner,
                                               int64_t from_ms, int64_t to_ms,
                                               const std::vector<usage_bucket>& buckets);

/// Checks an email as a client name: 1 to 100 characters, no spaces, control characters or
/// slashes. Returns the reason it is refused, or an empty string.
[[nodiscard]] std::string email_problem(const std::string& email);

} // namespace fleet
