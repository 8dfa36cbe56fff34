#pragma once

// The panel's answers on the way to a session: the v3 CSRF token, the login itself and the
// two-factor switch (3x-ui-api.md §11).

#include "common/panel/http_engine.hpp"

#include <caf/error.hpp>

#include <string>

namespace fleet {

/// The token of a `GET csrf-token` answer; empty for a panel before v3.0 (404) and for an
/// answer that carries no token.
[[nodiscard]] std::string read_csrf_token(const http_response& response);

/// What a `POST login` answer says.
struct login_answer {
  /// None when the panel accepted the credentials.
  caf::error error;
  /// The panel refused the credentials itself (`success: false`), as opposed to an empty
  /// answer of a route that does not exist or a transport failure: worth one retry with the
  /// neighbouring two-factor code.
  bool refused = false;
};

[[nodiscard]] login_answer read_login(const http_response& response);

/// Whether a `POST getTwoFactorEnable` answer (v2.6+) says two-factor authentication is on.
[[nodiscard]] bool reads_two_factor_on(const http_response& response);

} // namespace fleet
