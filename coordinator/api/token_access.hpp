#pragma once

#include "common/config/api_token.hpp"

#include <string>

namespace fleet {

/// Whether a token of `role` may send `method` to `path`. Admin tokens may do everything. A
/// read token may read (`GET`, `HEAD`) and ask `POST /api/v1/select`, which only answers
/// which server would be chosen and changes nothing; it may not mutate anything, nor use
/// any route under `/api/v1/admin/`, reads included.
[[nodiscard]] inline bool token_may(token_role role, const std::string& method,
                                    const std::string& path) {
  if (role == token_role::admin)
    return true;
  if (path.rfind("/api/v1/admin/", 0) == 0)
    return false;
  if (method == "GET" || method == "HEAD")
    return true;
  return method == "POST" && path == "/api/v1/select";
}

} // namespace fleet
