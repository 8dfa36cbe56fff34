#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>

namespace fleet {

/// Block-style YAML of the object `doc`, keys in their order. A string is written plain only
/// when YAML 1.1 cannot read it as anything else (it starts with a letter or `/`, holds only
/// `A-Z a-z 0-9 . _ / + = , -` and is no bool or null word such as `yes`, `on`, `null`);
/// otherwise single-quoted, or double-quoted with escapes when it holds control characters.
/// Values of the keys in `quoted_keys` are always quoted.
[[nodiscard]] std::string to_yaml(const nlohmann::ordered_json& doc,
                                  const std::set<std::string>& quoted_keys = {});

} // namespace fleet
