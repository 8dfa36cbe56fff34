#pragma once

#include <array>
#include <cstdio>
#include <openssl/evp.h>
#include <string>

namespace fleet {

using sha256_digest = std::array<unsigned char, 32>;

/// SHA-256 of `text` (API tokens are compared by digest, request bodies remembered by it).
[[nodiscard]] inline sha256_digest sha256(const std::string& text) {
  sha256_digest out{};
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

/// The same in lower-case hex.
[[nodiscard]] inline std::string sha256_hex(const std::string& text) {
  std::string out;
  char hex[3];
  for (auto byte : sha256(text)) {
    std::snprintf(hex, sizeof(hex), "%02x", byte);
    out += hex;
  }
  return out;
}

} // namespace fleet
