#include "common/panel/panel_url.hpp"

#include <cstdio>

namespace fleet {

std::string url_host(const std::string& host) {
  auto bare = host;
  if (bare.size() >= 2 && bare.front() == '[' && bare.back() == ']')
    bare = bare.substr(1, bare.size() - 2);
  if (bare.find(':') == std::string::npos)
    return host;
  // RFC 6874: the '%' before a zone id is itself percent-encoded inside the brackets.
  if (auto zone = bare.find('%'); zone != std::string::npos && bare.compare(zone, 3, "%25") != 0)
    bare.replace(zone, 1, "%25");
  return "[" + bare + "]";
}

std::string panel_base_url(const server_config& s) {
  return std::string{to_string(s.scheme)} + "://" + url_host(s.host) + ":" + std::to_string(s.port)
         + s.base_path;
}

std::string url_encode(const std::string& text) {
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

} // namespace fleet
