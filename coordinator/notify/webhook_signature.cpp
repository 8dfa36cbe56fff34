#include "coordinator/notify/webhook_signature.hpp"

#include <cstdio>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace fleet {

namespace {

std::string hex(const unsigned char* data, size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 0xF]);
  }
  return out;
}

} // namespace

std::string hmac_sha256_hex(const std::string& key, const std::string& message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &len);
  return hex(out, len);
}

std::string signature_header(const std::string& secret, int64_t t, const std::string& body) {
  auto stamp = std::to_string(t);
  return "t=" + stamp + ",v1=" + hmac_sha256_hex(secret, stamp + "." + body);
}

std::string redact_url(const std::string& url) {
  auto out = url.substr(0, url.find_first_of("?#"));
  auto scheme_end = out.find("://");
  auto start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  auto authority_end = out.find('/', start);
  auto at = out.rfind('@', authority_end == std::string::npos ? out.size() : authority_end);
  if (at != std::string::npos && at >= start)
    out.erase(start, at + 1 - start);
  return out;
}

std::string sha256_of(const std::string& text) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), out, &len, EVP_sha256(), nullptr);
  return hex(out, len);
}

} // namespace fleet
