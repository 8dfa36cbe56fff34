#include "common/panel/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace fleet {

namespace {

/// Seconds since the epoch of `at` (times before 1970 count as 0).
uint64_t unix_seconds(std::chrono::system_clock::time_point at) {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
  return s > 0 ? static_cast<uint64_t>(s) : 0;
}

} // namespace

std::string hotp_code(const std::vector<uint8_t>& key, uint64_t counter, int digits) {
  unsigned char message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<unsigned char>(counter & 0xFF);
    counter >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message, sizeof(message), mac,
       &mac_len);
  // Dynamic truncation (RFC 4226 §5.3).
  auto offset = mac[mac_len - 1] & 0x0F;
  uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7F) << 24)
                    | (static_cast<uint32_t>(mac[offset + 1]) << 16)
                    | (static_cast<uint32_t>(mac[offset + 2]) << 8)
                    | static_cast<uint32_t>(mac[offset + 3]);
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i)
    modulus *= 10;
  auto code = std::to_string(binary % modulus);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

std::string totp_code(const std::vector<uint8_t>& key, std::chrono::system_clock::time_point at,
                      int digits) {
  return hotp_code(key, unix_seconds(at) / static_cast<uint64_t>(totp_step.count()), digits);
}

std::optional<std::chrono::system_clock::time_point>
neighbour_step(std::chrono::system_clock::time_point at, std::chrono::seconds margin) {
  auto into = static_cast<int64_t>(unix_seconds(at) % static_cast<uint64_t>(totp_step.count()));
  if (into >= totp_step.count() - margin.count())
    return at + totp_step;
  if (into < margin.count())
    return at - totp_step;
  return std::nullopt;
}

} // namespace fleet
