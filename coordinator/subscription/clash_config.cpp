#include "coordinator/subscription/config_renderers.hpp"
#include "coordinator/subscription/link_parts.hpp"
#include "coordinator/subscription/proxy_names.hpp"
#include "coordinator/subscription/proxy_support.hpp"
#include "coordinator/subscription/url_text.hpp"
#include "coordinator/subscription/yaml_writer.hpp"

#include <optional>

namespace fleet::subscription_detail {

namespace {

using json = nlohmann::ordered_json;

const char* clash_type(link_protocol p) {
  return p == link_protocol::shadowsocks ? "ss" : to_string(p);
}

/// `network` and its options; Mihomo writes HTTP upgrade as a flavour of ws.
void add_transport(const link_profile& p, json& x) {
  const auto& t = p.transport;
  switch (p.network) {
  case link_network::ws:
  case link_network::httpupgrade: {
    x["network"] = "ws";
    json opts = json::object();
    if (!t.path.value_or("").empty())
      opts["path"] = *t.path;
    if (!t.host.empty())
      opts["headers"] = json{{"Host", t.host}};
    if (p.network == link_network::httpupgrade)
      opts["v2ray-http-upgrade"] = true;
    if (!opts.empty())
      x["ws-opts"] = std::move(opts);
    break;
  }
  case link_network::grpc:
    x["network"] = "grpc";
    x["grpc-opts"] = json{{"grpc-service-name", t.service_name}};
    break;
  default:
    x["network"] = "tcp";
    break;
  }
}

void add_security(const link_profile& p, const proxy_security& sec, json& x) {
  // Trojan names the SNI `sni`, vless and vmess `servername`.
  const char* sni_key = p.protocol == link_protocol::trojan ? "sni" : "servername";
  switch (sec.kind) {
  case link_security::none:
    x["tls"] = false;
    break;
  case link_security::tls: {
    x["tls"] = true;
    if (!sec.tls.server_name.value_or("").empty())
      x[sni_key] = *sec.tls.server_name;
    if (!sec.tls.fingerprint.value_or("").empty())
      x["client-fingerprint"] = utls_name(*sec.tls.fingerprint, true);
    // Mihomo sets http/1.1 for WebSocket itself; h2 there would break it.
    auto alpn = alpn_list(sec.tls);
    bool websocket = p.network == link_network::ws || p.network == link_network::httpupgrade;
    if (!alpn.empty() && !websocket)
      x["alpn"] = alpn;
    break;
  }
  case link_security::reality: {
    const auto& r = *sec.reality;
    x["tls"] = true;
    if (!r.server_names.empty())
      x[sni_key] = r.server_names.front();
    x["client-fingerprint"] = r.fingerprint.empty() ? "chrome" : utls_name(r.fingerprint, true);
    json opts{{"public-key", r.public_key.value_or("")}};
    if (!r.short_ids.empty() && !r.short_ids.front().empty())
      opts["short-id"] = r.short_ids.front();
    x["reality-opts"] = std::move(opts);
    break;
  }
  }
}

std::optional<json> clash_proxy(const subscription_entry& e, const subscriber& s,
                                std::string& why) {
  const auto& p = *e.profile;
  auto sec = resolve_security(e);
  why = common_problem(e, sec);
  if (why.empty() && p.network == link_network::tcp && p.transport.http_header
      && p.protocol != link_protocol::shadowsocks)
    why = "tcp with an http header has no Clash form";
  if (!why.empty())
    return std::nullopt;
  json x{{"name", ""},
         {"type", clash_type(p.protocol)},
         {"server", bare_host(e.address)},
         {"port", entry_port(e)},
         {"udp", true}};
  switch (p.protocol) {
  case link_protocol::vless:
    x["uuid"] = s.uuid;
    break;
  case link_protocol::vmess:
    x["uuid"] = s.uuid;
    x["alterId"] = 0;
    x["cipher"] = "auto";
    break;
  case link_protocol::trojan:
    x["password"] = s.uuid;
    break;
  case link_protocol::shadowsocks: {
    x["cipher"] = p.ss_method;
    x["password"] = shadowsocks_proxy_password(p, s);
    if (p.transport.http_header) {
      x["plugin"] = "obfs";
      x["plugin-opts"] = json{{"mode", "http"}, {"host", p.transport.host}};
    }
    return x;
  }
  }
  add_transport(p, x);
  if (p.protocol == link_protocol::vless) {
    if (!s.flow.empty() && proxy_flow_fits(e, sec))
      x["flow"] = s.flow;
    if (p.vless_encryption_enabled && p.vless_encryption.value_or("none") != "none")
      x["encryption"] = *p.vless_encryption;
  }
  add_security(p, sec, x);
  return x;
}

} // namespace

rendered_subscription render_clash(const subscriber& s,
                                   const std::vector<subscription_entry>& entries) {
  rendered_subscription out;
  out.content_type = "application/yaml; charset=utf-8";
  out.filename = "subscription.yaml";
  proxy_names names{{"PROXY", "DIRECT", "REJECT", "REJECT-DROP", "PASS", "COMPATIBLE", "GLOBAL"}};
  auto mapped = map_entries(
      entries, names, "name",
      [&s](const subscription_entry& e, std::string& why) { return clash_proxy(e, s, why); },
      out.left_out);
  auto proxies = json::array();
  auto group = json::array();
  for (auto& proxy : mapped) {
    group.push_back(proxy["name"]);
    proxies.push_back(std::move(proxy));
  }
  group.push_back("DIRECT");
  json doc{
      {"proxies", std::move(proxies)},
      {"proxy-groups",
       json::array({json{{"name", "PROXY"}, {"type", "select"}, {"proxies", std::move(group)}}})},
      {"rules", json::array({"MATCH,PROXY"})}};
  out.body = to_yaml(doc, {"short-id", "password", "uuid"});
  return out;
}

} // namespace fleet::subscription_detail
