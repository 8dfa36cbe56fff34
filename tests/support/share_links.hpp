#pragma once

// Taking share links and subscription bodies apart in tests: percent and base64 decoding, and
// a URL share link split into its fields.

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>

namespace fleet::test {

inline std::string percent_decode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

inline std::string base64_decode(const std::string& text) {
  static const std::string alphabet
      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    auto at = alphabet.find(c);
    if (at == std::string::npos)
      continue;
    bits = (bits << 6) | static_cast<uint32_t>(at);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  return out;
}

/// A URL share link taken apart: scheme://user@host:port?query#remark, all decoded.
struct parsed_link {
  std::string scheme;
  std::string user;
  std::string host;
  int port = 0;
  std::map<std::string, std::string> query;
  std::string remark;
};

inline parsed_link parse_link(const std::string& link) {
  parsed_link out;
  auto scheme_end = link.find("://");
  out.scheme = link.substr(0, scheme_end);
  auto rest = link.substr(scheme_end + 3);
  if (auto hash = rest.find('#'); hash != std::string::npos) {
    out.remark = percent_decode(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  std::string query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  auto at = rest.rfind('@');
  out.user = percent_decode(rest.substr(0, at));
  auto hostport = rest.substr(at + 1);
  auto colon = hostport.rfind(':');
  out.host = hostport.substr(0, colon);
  out.port = std::stoi(hostport.substr(colon + 1));
  size_t pos = 0;
  while (pos < query.size()) {
    auto end = std::min(query.find('&', pos), query.size());
    auto item = query.substr(pos, end - pos);
    auto eq = item.find('=');
    out.query[percent_decode(item.substr(0, eq))] = percent_decode(item.substr(eq + 1));
    pos = end + 1;
  }
  return out;
}

} // namespace fleet::test
