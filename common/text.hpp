#pragma once

#include <algorithm>
#include <string>

namespace fleet {

/// `text` with ASCII letters in lower case (emails compare this way on a panel).
[[nodiscard]] inline std::string ascii_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  });
  return text;
}

} // namespace fleet
