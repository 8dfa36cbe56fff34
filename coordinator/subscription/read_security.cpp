#include "coordinator/subscription/go_json.hpp"
#include "coordinator/subscription/stream_readers.hpp"

#include <set>

namespace fleet::subscription_detail {

namespace {

/// The string entries of the array `obj[key]`; `non_empty` drops empty strings.
std::vector<std::string> strings_at(const nlohmann::json& obj, const char* key, bool non_empty) {
  std::vector<std::string> out;
  auto i = obj.find(key);
  if (i == obj.end() || !i->is_array())
    return out;
  for (const auto& item : *i)
    if (item.is_string() && (!non_empty || !item.get<std::string>().empty()))
      out.push_back(item.get<std::string>());
  return out;
}

/// The string at `obj[key]` (`""` for another type) when the key exists.
std::optional<std::string> key_string(const nlohmann::json& obj, const char* key) {
  if (!obj.contains(key))
    return std::nullopt;
  return string_at(obj, key);
}

std::string trimmed(std::string text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && space(text.back()))
    text.pop_back();
  size_t start = 0;
  while (start < text.size() && space(text[start]))
    ++start;
  return text.substr(start);
}

/// Only these masks are known to clients; others stay on the server.
const std::set<std::string>& known_masks(bool udp) {
  static const std::set<std::string> tcp{"header-custom", "fragment", "sudoku", "xmc"};
  static const std::set<std::string> udp_masks{"salamander", "mkcp-legacy", "xdns",         "xicmp",
                                               "noise",      "realm",       "header-custom"};
  return udp ? udp_masks : tcp;
}

nlohmann::json known_masks_of(const nlohmann::json& finalmask, const char* key) {
  auto out = nlohmann::json::array();
  auto i = finalmask.find(key);
  if (i == finalmask.end() || !i->is_array())
    return out;
  const auto& known = known_masks(std::string_view{key} == "udp");
  for (const auto& mask : *i) {
    auto type = string_at(mask, "type");
    if (known.count(type) == 0)
      continue;
    nlohmann::json entry{{"type", type}};
    if (const auto& settings = object_at(mask, "settings"); !settings.empty())
      entry["settings"] = settings;
    out.push_back(std::move(entry));
  }
  return out;
}

bool has_content(const nlohmann::json& value) {
  if (value.is_null())
    return false;
  if (value.is_string())
    return !value.get<std::string>().empty();
  if (value.is_structured()) {
    for (const auto& item : value)
      if (has_content(item))
        return true;
    return false;
  }
  return true;
}

/// A kcp header type or seed that an `mkcp-legacy` mask carries (newer panels keep them there).
void read_kcp_mask(const nlohmann::json& udp_masks, transport_hints& out) {
  static const std::map<std::string, std::string> header_types{
      {"dns", "dns"}, {"dtls", "dtls"},           {"srtp", "srtp"},
      {"utp", "utp"}, {"wechat", "wechat-video"}, {"wireguard", "wireguard"}};
  for (const auto& mask : udp_masks) {
    if (string_at(mask, "type") != "mkcp-legacy")
      continue;
    const auto& settings = object_at(mask, "settings");
    auto header = string_at(settings, "header");
    if (header.empty())
      out.kcp_seed = string_at(settings, "value");
    else if (auto i = header_types.find(header); i != header_types.end())
      out.kcp_header_type = i->second;
  }
}

std::string alpn_text(const nlohmann::json& value) {
  if (value.is_string())
    return value.get<std::string>();
  std::string out;
  if (value.is_array())
    for (const auto& item : value)
      if (item.is_string() && !item.get<std::string>().empty())
        out += (out.empty() ? "" : ",") + item.get<std::string>();
  return out;
}

} // namespace

void read_tls(const nlohmann::json& stream, link_profile& out) {
  const auto& tls = object_at(stream, "tlsSettings");
  out.tls.alpn = strings_at(tls, "alpn", false);
  out.tls.server_name = key_string(tls, "serverName");
  const auto& settings = object_at(tls, "settings");
  out.tls.fingerprint = key_string(settings, "fingerprint");
  out.tls.ech_config_list = string_at(settings, "echConfigList");
  out.tls.verify_peer_cert_by_name = trimmed(string_at(settings, "verifyPeerCertByName"));
  out.tls.pinned_peer_cert_sha256 = strings_at(settings, "pinnedPeerCertSha256", true);
}

void read_reality(const nlohmann::json& stream, link_profile& out) {
  auto i = stream.find("realitySettings");
  out.reality.present = i != stream.end() && i->is_object();
  if (!out.reality.present)
    return;
  const auto& reality = *i;
  out.reality.server_names = strings_at(reality, "serverNames", false);
  out.reality.short_ids = strings_at(reality, "shortIds", false);
  const auto& settings = object_at(reality, "settings");
  out.reality.public_key = key_string(settings, "publicKey");
  out.reality.fingerprint = string_at(settings, "fingerprint");
  out.reality.mldsa65_verify = string_at(settings, "mldsa65Verify");
  out.reality.spider_x_seed = string_at(settings, "spiderX");
}

void read_finalmask(const nlohmann::json& stream, link_profile& out) {
  const auto& finalmask = object_at(stream, "finalmask");
  auto normalized = nlohmann::json::object();
  if (auto tcp = known_masks_of(finalmask, "tcp"); !tcp.empty())
    normalized["tcp"] = std::move(tcp);
  if (auto udp = known_masks_of(finalmask, "udp"); !udp.empty()) {
    if (out.network == link_network::kcp)
      read_kcp_mask(udp, out.transport);
    normalized["udp"] = std::move(udp);
  }
  if (const auto& quic = object_at(finalmask, "quicParams"); !quic.empty())
    normalized["quicParams"] = quic;
  if (has_content(normalized))
    out.finalmask = go_json(normalized);
}

std::string read_external_proxies(const nlohmann::json& stream, link_profile& out) {
  auto i = stream.find("externalProxy");
  if (i == stream.end() || !i->is_array())
    return {};
  size_t index = 0;
  for (const auto& entry : *i) {
    ++index;
    external_proxy p;
    p.force_tls = string_at(entry, "forceTls");
    p.dest = string_at(entry, "dest");
    if (auto port = entry.is_object() ? entry.find("port") : entry.end();
        port != entry.end() && port->is_number())
      p.port = port->is_number_float() ? static_cast<int64_t>(port->get<double>())
                                       : port->get<int64_t>();
    if (p.dest.empty() || p.port <= 0 || p.port > 65535)
      return "externalProxy entry " + std::to_string(index) + " has no destination or port";
    p.remark = string_at(entry, "remark");
    p.sni = string_at(entry, "sni");
    p.fingerprint = string_at(entry, "fingerprint");
    if (entry.contains("alpn"))
      p.alpn = alpn_text(entry.at("alpn"));
    p.pinned_peer_cert_sha256 = strings_at(entry, "pinnedPeerCertSha256", true);
    p.verify_peer_cert_by_name = string_at(entry, "verifyPeerCertByName");
    p.ech_config_list = string_at(entry, "echConfigList");
    out.external_proxies.push_back(std::move(p));
  }
  return {};
}

} // namespace fleet::subscription_detail
