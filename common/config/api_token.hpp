#pragma once

#include "common/field_problem.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fleet {

/// What a bearer token may do on the HTTP API.
enum class token_role {
  /// Everything (the only role before roles existed; a plain string in the file).
  admin,
  /// Reads (`GET`) and `POST /api/v1/select`, which changes nothing; every other route
  /// answers 403 `forbidden`, and so does everything under `/api/v1/admin/`.
  read,
};

/// Returns "admin" or "read".
[[nodiscard]] const char* to_string(token_role role);

/// Parses "admin" or "read".
[[nodiscard]] std::optional<token_role> parse_token_role(std::string_view text);

/// One entry of `coordinator.api_tokens`: a plain string (full access) or an object
/// `{token, role, name}`. `token` is a secret: never log or serialise it; `name` is what
/// logs and answers may say instead.
struct api_token {
  std::string token;
  token_role role = token_role::admin;
  std::string name;

  api_token() = default;
  /// Implicit on purpose: a plain string is a full-access token, as it always was.
  api_token(std::string secret, token_role r = token_role::admin, std::string label = {})
      : token(std::move(secret)), role(r), name(std::move(label)) {}
};

/// Reads `coordinator.api_tokens` (the array `tokens`, located at `path`) into `out`,
/// appending a problem naming the entry for anything that is neither a string nor an object
/// with a string `token` and a known `role`.
void read_api_tokens(const nlohmann::json& tokens, const std::string& path,
                     std::vector<api_token>& out, field_problems& problems);

/// Checks tokens already read (and the one `FLEET_API_TOKEN` adds): each at least 16
/// characters, none twice. Problems name the entry by index, never the token.
void check_api_tokens(const std::vector<api_token>& tokens, const std::string& path,
                      field_problems& problems);

} // namespace fleet
