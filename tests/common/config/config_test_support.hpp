#pragma once

#include "common/config/config.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace fleet::test {

/// An environment with exactly `vars`.
inline env_lookup fake_env(std::map<std::string, std::string> vars = {}) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    if (auto i = vars.find(name); i != vars.end())
      return i->second;
    return std::nullopt;
  };
}

inline config_rules builtin_rules() {
  return {{"geographic", "least_load", "priority", "random", "round_robin"}};
}

inline config_result parse(const std::string& text, std::map<std::string, std::string> env = {}) {
  return parse_config(text, fake_env(std::move(env)), builtin_rules());
}

/// Returns the errors of `result`, rendered "field: reason".
inline std::vector<std::string> errors_of(const config_result& result) {
  std::vector<std::string> out;
  for (const auto& p : result.problems)
    if (p.level == field_problem::severity::error)
      out.push_back(p.to_string());
  return out;
}

/// A valid config with one server whose JSON object gets `server_extra` appended and whose
/// `server_management` object gets `management_extra`.
inline std::string one_server(const std::string& server_extra = "",
                              const std::string& management_extra = "") {
  return R"({"xui_servers": [{"id": 1, "host": "panel.example", "port": 2053,
              "username": "admin", "password": "pw")"
         + server_extra + R"(}], "server_management": {"selection_strategy": "least_load")"
         + management_extra + "}}";
}

} // namespace fleet::test
