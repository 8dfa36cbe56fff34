#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace fleet {

/// `text` with ASCII letters in lower case (emails compare this way on a panel).
[[nodiscard]] inline std::string ascii_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  });
  return text;
}

/// `parts` separated by `separator`.
[[nodiscard]] inline std::string join(const std::vector<std::string>& parts,
                                      const char* separator = ", ") {
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : separator) + p;
  return out;
}

} // namespace fleet
