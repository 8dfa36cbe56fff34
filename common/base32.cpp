#include "common/base32.hpp"

namespace fleet {

std::optional<std::vector<uint8_t>> decode_base32(std::string_view text) {
  std::vector<uint8_t> out;
  uint32_t buffer = 0;
  int bits = 0;
  bool padding = false;
  for (char ch : text) {
    if (ch == ' ' || ch == '-')
      continue;
    if (ch == '=') {
      padding = true;
      continue;
    }
    if (padding)
      return std::nullopt;
    uint32_t value = 0;
    if (ch >= 'A' && ch <= 'Z')
      value = static_cast<uint32_t>(ch - 'A');
    else if (ch >= 'a' && ch <= 'z')
      value = static_cast<uint32_t>(ch - 'a');
    else if (ch >= '2' && ch <= '7')
      value = static_cast<uint32_t>(ch - '2') + 26;
    else
      return std::nullopt;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>((buffer >> bits) & 0xFF));
    }
  }
  if (out.empty())
    return std::nullopt;
  return out;
}

} // namespace fleet
