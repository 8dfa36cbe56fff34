#include "coordinator/subscription/spider_x.hpp"

#include <array>
#include <openssl/evp.h>

namespace fleet {

std::string derive_spider_x(std::string_view seed, std::string_view client_key) {
  std::string input;
  input.reserve(seed.size() + 1 + client_key.size());
  input.append(seed).append("|").append(client_key);
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha256(), nullptr);
  constexpr char hex[] = "0123456789abcdef";
  std::string out = "/";
  for (size_t i = 0; out.size() < 16; ++i) {
    out += hex[digest[i] >> 4];
    if (out.size() < 16)
      out += hex[digest[i] & 15];
  }
  return out;
}

} // namespace fleet
