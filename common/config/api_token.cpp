#include "common/config/api_token.hpp"

#include "common/json_reader.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace fleet {

const char* to_string(token_role role) {
  return role == token_role::read ? "read" : "admin";
}

std::optional<token_role> parse_token_role(std::string_view text) {
  if (text == "admin")
    return token_role::admin;
  if (text == "read")
    return token_role::read;
  return std::nullopt;
}

void read_api_tokens(const nlohmann::json& tokens, const std::string& path,
                     std::vector<api_token>& out, field_problems& problems) {
  auto error = [&](const std::string& field, std::string reason) {
    problems.push_back({field_problem::severity::error, field, std::move(reason)});
  };
  if (!tokens.is_array()) {
    error(path, "expected an array of tokens, got " + json_type_name(tokens));
    return;
  }
  out.clear();
  for (size_t i = 0; i < tokens.size(); ++i) {
    const auto& entry = tokens[i];
    auto at = path + "[" + std::to_string(i) + "]";
    if (entry.is_string()) {
      out.emplace_back(entry.get<std::string>());
      continue;
    }
    if (!entry.is_object()) {
      error(at, "expected a token string or an object {\"token\", \"role\", \"name\"}, got "
                    + json_type_name(entry));
      continue;
    }
    json_reader r{entry, at, problems};
    api_token t;
    r.string("token", t.token, true);
    r.string("name", t.name);
    std::string role = "admin";
    r.string("role", role);
    if (auto parsed = parse_token_role(role))
      t.role = *parsed;
    else
      r.fail("role", "\"" + role + "\" is not a role; use \"read\" or \"admin\"");
    r.warn_unknown({"token", "role", "name"});
    if (!t.token.empty()) // a missing token is reported already
      out.push_back(std::move(t));
  }
}

void check_api_tokens(const std::vector<api_token>& tokens, const std::string& path,
                      field_problems& problems) {
  std::set<std::string> seen;
  for (size_t i = 0; i < tokens.size(); ++i) {
    auto at = path + "[" + std::to_string(i) + "]";
    if (tokens[i].token.size() < 16)
      problems.push_back(
          {field_problem::severity::error, at, "too short; use at least 16 random characters"});
    else if (!seen.insert(tokens[i].token).second)
      problems.push_back({field_problem::severity::error, at,
                          "the same token as an earlier entry; give every token its own "
                          "random value"});
  }
}

} // namespace fleet
