#include "coordinator/subscription/url_text.hpp"

namespace fleet {

namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";

std::string encode_base64(std::string_view bytes, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto at = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  auto rest = bytes.size() - i;
  if (rest == 0)
    return out;
  uint32_t v = at(i) << 16;
  if (rest == 2)
    v |= at(i + 1) << 8;
  out += alphabet[(v >> 18) & 63];
  out += alphabet[(v >> 12) & 63];
  if (rest == 2)
    out += alphabet[(v >> 6) & 63];
  if (pad)
    out.append(rest == 2 ? 1 : 2, '=');
  return out;
}

} // namespace

std::string percent_encode(std::string_view text, std::string_view keep) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum || keep.find(ch) != std::string_view::npos) {
      out += ch;
    } else {
      out += '%';
      out += hex_digits[c >> 4];
      out += hex_digits[c & 15];
    }
  }
  return out;
}

std::string query_escape(std::string_view text) {
  // Go writes a space as `+`; `+` itself is escaped, so the swap is unambiguous.
  auto out = percent_encode(text, "-_.~ ");
  for (auto& ch : out)
    if (ch == ' ')
      ch = '+';
  return out;
}

std::string component_escape(std::string_view text) {
  std::string out;
  for (char ch : query_escape(text)) {
    if (ch == '+')
      out += "%20";
    else
      out += ch;
  }
  return out;
}

std::string encode_query(const link_query& query) {
  std::string out;
  for (const auto& [key, value] : query) {
    if (!out.empty())
      out += '&';
    out += query_escape(key);
    out += '=';
    out += query_escape(value);
  }
  return out;
}

std::string bare_host(std::string_view host) {
  // Go's strings.Trim(host, "[]"): every bracket at either end goes.
  while (!host.empty() && (host.front() == '[' || host.front() == ']'))
    host.remove_prefix(1);
  while (!host.empty() && (host.back() == '[' || host.back() == ']'))
    host.remove_suffix(1);
  return std::string{host};
}

std::string join_host_port(std::string_view host, int64_t port) {
  auto bare = bare_host(host);
  auto port_text = std::to_string(port);
  if (bare.find(':') != std::string::npos)
    return "[" + bare + "]:" + port_text;
  return bare + ":" + port_text;
}

std::string base64_encode(std::string_view bytes) {
  return encode_base64(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                       true);
}

std::string base64url_encode(std::string_view bytes) {
  return encode_base64(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                       false);
}

} // namespace fleet
