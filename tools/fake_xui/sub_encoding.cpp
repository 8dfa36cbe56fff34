#include "tools/fake_xui/sub_encoding.hpp"

#include <algorithm>
#include <openssl/evp.h>
#include <openssl/sha.h>

namespace fleet::fake {

std::string query_escape(const std::string& text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    auto plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                 || c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0x0f];
    }
  }
  return out;
}

std::string component_escape(const std::string& text) {
  std::string out;
  for (char c : query_escape(text))
    out += c == '+' ? std::string{"%20"} : std::string(1, c);
  return out;
}

std::string encode_query(const std::map<std::string, std::string>& params) {
  std::string out;
  for (const auto& [key, value] : params)
    out += (out.empty() ? "" : "&") + query_escape(key) + "=" + query_escape(value);
  return out;
}

std::string base64_std(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  auto n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                           reinterpret_cast<const unsigned char*>(bytes.data()),
                           static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string base64_url_raw(const std::string& bytes) {
  auto out = base64_std(bytes);
  out.erase(std::remove(out.begin(), out.end(), '='), out.end());
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (auto b : digest) {
    out += hex[b >> 4];
    out += hex[b & 0x0f];
  }
  return out;
}

std::string random_bytes(std::mt19937_64& rng, size_t n) {
  std::uniform_int_distribution<int> byte{0, 255};
  std::string out;
  for (size_t i = 0; i < n; ++i)
    out += static_cast<char>(byte(rng));
  return out;
}

std::string join_host_port(std::string host, int64_t port) {
  auto bracket = [](char c) { return c == '[' || c == ']'; };
  while (!host.empty() && bracket(host.back()))
    host.pop_back();
  host.erase(host.begin(), std::find_if_not(host.begin(), host.end(), bracket));
  auto text = std::to_string(port);
  return host.find(':') != std::string::npos ? "[" + host + "]:" + text : host + ":" + text;
}

} // namespace fleet::fake
