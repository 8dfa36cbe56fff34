#include "common/shadowsocks_key.hpp"

#include <array>
#include <openssl/evp.h>

namespace fleet {

bool is_shadowsocks_2022(std::string_view method) noexcept {
  return method.substr(0, 4) == "2022";
}

size_t shadowsocks_2022_key_size(std::string_view method) noexcept {
  if (method == "2022-blake3-aes-128-gcm")
    return 16;
  if (method == "2022-blake3-aes-256-gcm" || method == "2022-blake3-chacha20-poly1305")
    return 32;
  return 0;
}

std::string shadowsocks_client_password(const std::string& method, const std::string& uuid) {
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  EVP_Digest(uuid.data(), uuid.size(), digest.data(), &length, EVP_sha256(), nullptr);
  if (auto size = shadowsocks_2022_key_size(method); size > 0) {
    std::array<unsigned char, 45> text{};
    auto written = EVP_EncodeBlock(text.data(), digest.data(), static_cast<int>(size));
    return std::string(reinterpret_cast<const char*>(text.data()), static_cast<size_t>(written));
  }
  constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < 16; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

} // namespace fleet
