#include "coordinator/subscription/proxy_support.hpp"

#include "common/shadowsocks_key.hpp"

#include <set>

namespace fleet::subscription_detail {

namespace {

std::vector<std::string> split_alpn(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos)
      end = text.size();
    auto part = text.substr(start, end - start);
    while (!part.empty() && part.front() == ' ')
      part.erase(0, 1);
    while (!part.empty() && part.back() == ' ')
      part.pop_back();
    if (!part.empty())
      out.push_back(part);
    start = end + 1;
  }
  return out;
}

bool base64url_chars(const std::string& text) {
  for (char c : text)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
          || c == '_'))
      return false;
  return true;
}

bool hex_chars(const std::string& text) {
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
      return false;
  return true;
}

std::string reality_problem(const reality_hints& r) {
  // X25519 public keys are 32 bytes: 43 characters of unpadded URL-safe base64.
  if (!r.public_key || r.public_key->size() != 43 || !base64url_chars(*r.public_key))
    return "the reality inbound has no usable public key (settings.publicKey)";
  if (!r.short_ids.empty()) {
    const auto& sid = r.short_ids.front();
    if (sid.size() > 16 || sid.size() % 2 != 0 || !hex_chars(sid))
      return "the reality short id is not hex of at most 8 bytes";
  }
  return {};
}

} // namespace

proxy_security resolve_security(const subscription_entry& e) {
  const auto& p = *e.profile;
  proxy_security out;
  out.kind = p.security;
  if (p.security == link_security::tls)
    out.tls = p.tls;
  if (p.security == link_security::reality)
    out.reality = &p.reality;
  if (e.via == nullptr)
    return out;
  const auto& via = *e.via;
  if (via.force_tls == "none")
    return proxy_security{};
  if (via.force_tls == "tls" && p.security != link_security::tls)
    out = proxy_security{link_security::tls, {}, nullptr};
  if (out.kind != link_security::tls)
    return out;
  if (!via.sni.empty())
    out.tls.server_name = via.sni;
  if (!via.fingerprint.empty())
    out.tls.fingerprint = via.fingerprint;
  if (!via.alpn.empty())
    out.tls.alpn = split_alpn(via.alpn);
  if (!via.pinned_peer_cert_sha256.empty())
    out.tls.pinned_peer_cert_sha256 = via.pinned_peer_cert_sha256;
  if (!via.verify_peer_cert_by_name.empty())
    out.tls.verify_peer_cert_by_name = via.verify_peer_cert_by_name;
  if (!via.ech_config_list.empty())
    out.tls.ech_config_list = via.ech_config_list;
  return out;
}

std::vector<std::string> alpn_list(const tls_hints& tls) {
  std::vector<std::string> out;
  for (const auto& a : tls.alpn)
    if (!a.empty())
      out.push_back(a);
  return out;
}

std::string utls_name(const std::string& fingerprint, bool mihomo) {
  static const std::set<std::string> shared{"chrome", "firefox", "safari", "ios",   "android",
                                            "edge",   "360",     "qq",     "random"};
  if (shared.count(fingerprint) > 0)
    return fingerprint;
  if (fingerprint == "randomized" || fingerprint == "randomizednoalpn")
    return mihomo ? "random" : "randomized";
  return "chrome";
}

std::string common_problem(const subscription_entry& e, const proxy_security& sec) {
  const auto& p = *e.profile;
  if (!p.finalmask.empty())
    return "finalmask masks have no Clash or sing-box form";
  if (p.network == link_network::kcp || p.network == link_network::xhttp)
    return std::string{"transport "} + to_string(p.network) + " has no Clash or sing-box form";
  if (p.network == link_network::grpc && !p.transport.service_name.empty()
      && p.transport.service_name.front() == '/')
    return "a gRPC service name that is a custom path has no Clash or sing-box form";
  if (p.protocol == link_protocol::shadowsocks
      && (p.network != link_network::tcp || sec.kind != link_security::none))
    return "shadowsocks over anything but plain tcp has no Clash or sing-box form";
  if (sec.kind == link_security::reality)
    return reality_problem(*sec.reality);
  return {};
}

std::string shadowsocks_proxy_password(const link_profile& p, const subscriber& s) {
  auto password = shadowsocks_password(s, p.ss_method);
  return is_shadowsocks_2022(p.ss_method) ? p.ss_server_key + ":" + password : password;
}

bool proxy_flow_fits(const subscription_entry& e, const proxy_security& sec) {
  return e.profile->protocol == link_protocol::vless && e.profile->network == link_network::tcp
         && sec.kind != link_security::none;
}

} // namespace fleet::subscription_detail
