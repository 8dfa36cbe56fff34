#pragma once

#include "common/error.hpp"
#include "common/panel/http_engine.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace fleet {

/// The single place where transport results, HTTP statuses and 3X-UI envelopes become
/// errors. `what` names the operation for messages ("add clients", "read status").
///
/// Mapping: transport timeout -> panel_timeout; other transport failures -> panel_unreachable;
/// HTTP 401/403 and 404 with an empty body -> unauthenticated (the panel's answer to a
/// missing session, CSRF token or Bearer token); HTTP 5xx -> panel_unavailable; any other
/// non-200 -> panel_bad_response; a body that is not a JSON envelope -> panel_bad_response;
/// `success: false` -> conflict (duplicate email or subId), not_found (unknown record or
/// client) or panel_error, keeping the panel's `msg`.
///
/// On success returns the envelope's `obj` (JSON null when absent).
[[nodiscard]] caf::expected<nlohmann::json> classify(const http_response& response,
                                                     const std::string& what);

/// Whether retrying the same request later may succeed: timeouts, unreachable panels,
/// server errors and garbled answers are retryable; refusals and auth failures are not.
[[nodiscard]] bool is_retryable(const caf::error& err);

/// Whether `err` says the panel itself is failing, what passive ejection counts: everything
/// retryable, and a refusal (`success: false`) that is not about the request, such as
/// "database is locked". A duplicate email or subId, an unknown record and refused
/// credentials say the panel works.
[[nodiscard]] bool is_panel_fault(const caf::error& err);

/// Removes the trailing newlines 3X-UI puts inside error texts ("(Duplicate email: a\n)").
[[nodiscard]] std::string clean_panel_message(std::string msg);

} // namespace fleet
