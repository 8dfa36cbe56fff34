#include "coordinator/subscription/share_link.hpp"

#include "common/shadowsocks_key.hpp"
#include "coordinator/subscription/link_parts.hpp"
#include "coordinator/subscription/spider_x.hpp"

namespace fleet {

namespace {

using namespace subscription_detail;

/// `type` and the transport's own fields.
void add_transport(const link_profile& p, link_query& q) {
  const auto& t = p.transport;
  q["type"] = to_string(p.network);
  switch (p.network) {
  case link_network::tcp:
    if (t.http_header) {
      if (t.path)
        q["path"] = *t.path;
      q["host"] = t.host;
      q["headerType"] = "http";
    }
    break;
  case link_network::kcp:
    if (!t.kcp_header_type.empty() && t.kcp_header_type != "none")
      q["headerType"] = t.kcp_header_type;
    if (!t.kcp_seed.empty())
      q["seed"] = t.kcp_seed;
    if (t.kcp_mtu > 0)
      q["mtu"] = std::to_string(t.kcp_mtu);
    if (t.kcp_tti > 0)
      q["tti"] = std::to_string(t.kcp_tti);
    break;
  case link_network::ws:
  case link_network::httpupgrade:
    q["path"] = t.path.value_or("");
    q["host"] = t.host;
    break;
  case link_network::grpc:
    q["serviceName"] = t.service_name;
    q["authority"] = t.authority;
    if (t.multi_mode)
      q["mode"] = "multi";
    break;
  case link_network::xhttp:
    q["path"] = t.path.value_or("");
    q["host"] = t.host;
    if (t.xhttp_mode)
      q["mode"] = *t.xhttp_mode;
    if (!t.x_padding_bytes.empty())
      q["x_padding_bytes"] = t.x_padding_bytes;
    if (!t.xhttp_extra.empty())
      q["extra"] = t.xhttp_extra;
    break;
  }
  if (!p.finalmask.empty())
    q["fm"] = p.finalmask;
}

void add_tls(const link_profile& p, link_query& q) {
  q["security"] = "tls";
  add_tls_hints(p.tls, q);
}

void add_reality(const link_profile& p, const subscriber& s, link_query& q) {
  q["security"] = "reality";
  const auto& r = p.reality;
  if (!r.present)
    return;
  if (!r.server_names.empty())
    q["sni"] = r.server_names.front();
  if (r.public_key)
    q["pbk"] = *r.public_key;
  if (!r.short_ids.empty())
    q["sid"] = r.short_ids.front();
  if (!r.fingerprint.empty())
    q["fp"] = r.fingerprint;
  if (!r.mldsa65_verify.empty())
    q["pqv"] = r.mldsa65_verify;
  q["spx"] = derive_spider_x(r.spider_x_seed, s.sub_id.empty() ? s.email : s.sub_id);
}

/// The security fields of vless and trojan links.
void add_security(const link_profile& p, const subscriber& s, link_query& q) {
  switch (p.security) {
  case link_security::tls:
    add_tls(p, q);
    break;
  case link_security::reality:
    add_reality(p, s, q);
    break;
  case link_security::none:
    q["security"] = "none";
    break;
  }
}

/// `prefix?query#remark`, with an externalProxy entry's security applied.
std::string assemble(const subscription_entry& e, std::string prefix, link_query q) {
  if (e.via) {
    auto security = effective_security(*e.via, to_string(e.profile->security));
    if (security == "tls")
      add_proxy_tls_hints(*e.via, q);
    if (!security.empty() && q.count("security") > 0)
      q["security"] = security;
    if (e.via->force_tls == "none")
      for (const char* key : {"alpn", "sni", "fp", "pcs"})
        q.erase(key);
  }
  prefix += "@" + join_host_port(e.address, entry_port(e));
  if (auto query = encode_query(q); !query.empty())
    prefix += "?" + query;
  if (!e.remark.empty())
    prefix += "#" + component_escape(e.remark);
  return prefix;
}

std::string vless_link(const subscription_entry& e, const subscriber& s) {
  const auto& p = *e.profile;
  link_query q;
  add_transport(p, q);
  if (p.vless_encryption)
    q["encryption"] = *p.vless_encryption;
  add_security(p, s, q);
  // Vision needs TLS underneath: tcp with tls or reality, or xhttp with VLESS encryption.
  bool flow_fits = (p.network == link_network::tcp && p.security != link_security::none)
                   || (p.network == link_network::xhttp && p.vless_encryption_enabled);
  if (!s.flow.empty() && flow_fits)
    q["flow"] = s.flow;
  return assemble(e, "vless://" + s.uuid, std::move(q));
}

std::string trojan_link(const subscription_entry& e, const subscriber& s) {
  const auto& p = *e.profile;
  link_query q;
  add_transport(p, q);
  add_security(p, s, q);
  if (!s.flow.empty() && p.security == link_security::reality && p.network == link_network::tcp)
    q["flow"] = s.flow;
  return assemble(e, "trojan://" + component_escape(s.uuid), std::move(q));
}

std::string shadowsocks_link(const subscription_entry& e, const subscriber& s) {
  const auto& p = *e.profile;
  link_query q;
  add_transport(p, q);
  if (p.security == link_security::tls)
    add_tls(p, q);
  // SIP002 clients read only `plugin`, so a tcp http header goes out as obfs-local.
  if (p.network == link_network::tcp && p.transport.http_header) {
    for (const char* key : {"type", "headerType", "host", "path"})
      q.erase(key);
    q["plugin"] = "obfs-local;obfs=http;obfs-host=" + p.transport.host;
  }
  if (e.via)
    q["security"] = to_string(p.security);
  auto password = shadowsocks_password(s, p.ss_method);
  // SIP022 userinfo is percent-encoded text; SIP002 is URL-safe base64 without padding.
  auto userinfo = is_shadowsocks_2022(p.ss_method)
                      ? query_escape(p.ss_method) + ":" + query_escape(p.ss_server_key) + ":"
                            + query_escape(password)
                      : base64url_encode(p.ss_method + ":" + password);
  return assemble(e, "ss://" + userinfo, std::move(q));
}

} // namespace

std::string link_remark(std::string_view inbound_remark, std::string_view email,
                        std::string_view extra) {
  std::string out;
  for (auto part : {inbound_remark, extra, email}) {
    if (part.empty())
      continue;
    if (!out.empty())
      out += '-';
    out.append(part);
  }
  return out;
}

std::vector<subscription_entry> entries_for(const link_profile& p, std::string_view public_host,
                                            std::string_view user_email) {
  std::vector<subscription_entry> out;
  if (p.external_proxies.empty()) {
    out.push_back(
        {&p, link_address(p, public_host), link_remark(p.remark, user_email), 0, nullptr});
    return out;
  }
  for (const auto& via : p.external_proxies)
    out.push_back({&p, via.dest, link_remark(p.remark, user_email, via.remark), via.port, &via});
  return out;
}

std::string shadowsocks_password(const subscriber& s, const std::string& method) {
  return s.ss_password.empty() ? shadowsocks_client_password(method, s.uuid) : s.ss_password;
}

std::string share_link(const subscription_entry& e, const subscriber& s) {
  if (e.profile == nullptr)
    return {};
  switch (e.profile->protocol) {
  case link_protocol::vless:
    return vless_link(e, s);
  case link_protocol::vmess:
    return vmess_link(e, s);
  case link_protocol::trojan:
    return trojan_link(e, s);
  case link_protocol::shadowsocks:
    return shadowsocks_link(e, s);
  }
  return {};
}

} // namespace fleet
