#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace fleet {

/// The text Go's `encoding/json` writes for `value`, which 3X-UI puts into share links: keys
/// sorted, `<` `>` `&` U+2028 U+2029 written as `\u` escapes, invalid UTF-8 replaced by
/// U+FFFD. Compact like `json.Marshal`, or with `indented` like `json.MarshalIndent(v, "", "  ")`
/// (two spaces, `": "`, no trailing newline).
[[nodiscard]] std::string go_json(const nlohmann::json& value, bool indented = false);

} // namespace fleet
