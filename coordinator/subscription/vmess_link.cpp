#include "coordinator/subscription/go_json.hpp"
#include "coordinator/subscription/link_parts.hpp"

#include <nlohmann/json.hpp>

namespace fleet::subscription_detail {

namespace {

/// The transport fields of the vmess object (`net`, `type`, `host`, `path`, ...).
void add_transport(const link_profile& p, nlohmann::json& obj) {
  const auto& t = p.transport;
  obj["net"] = to_string(p.network);
  switch (p.network) {
  case link_network::tcp:
    obj["type"] = t.tcp_header_type;
    if (t.http_header) {
      if (t.path)
        obj["path"] = *t.path;
      obj["host"] = t.host;
    }
    break;
  case link_network::kcp:
    if (!t.kcp_header_type.empty() && t.kcp_header_type != "none")
      obj["type"] = t.kcp_header_type;
    if (!t.kcp_seed.empty())
      obj["path"] = t.kcp_seed;
    if (t.kcp_mtu > 0)
      obj["mtu"] = t.kcp_mtu;
    if (t.kcp_tti > 0)
      obj["tti"] = t.kcp_tti;
    break;
  case link_network::ws:
  case link_network::httpupgrade:
    obj["path"] = t.path.value_or("");
    obj["host"] = t.host;
    break;
  case link_network::grpc:
    obj["path"] = t.service_name;
    obj["authority"] = t.authority;
    if (t.multi_mode)
      obj["type"] = "multi";
    break;
  case link_network::xhttp:
    obj["path"] = t.path.value_or("");
    obj["host"] = t.host;
    if (t.xhttp_mode)
      obj["mode"] = *t.xhttp_mode;
    if (!t.x_padding_bytes.empty())
      obj["x_padding_bytes"] = t.x_padding_bytes;
    // VMess takes any key, so the `extra` fields go in flat.
    if (!t.xhttp_extra.empty()) {
      // Kept in a variable: `items()` of a temporary would outlive it in the loop.
      auto extra = nlohmann::json::parse(t.xhttp_extra);
      for (auto& [key, value] : extra.items())
        obj[key] = value;
    }
    break;
  }
  if (!p.finalmask.empty())
    obj["fm"] = p.finalmask;
}

void put(const link_query& fields, nlohmann::json& obj) {
  for (const auto& [key, value] : fields)
    obj[key] = value;
}

} // namespace

std::string vmess_link(const subscription_entry& e, const subscriber& s) {
  const auto& p = *e.profile;
  nlohmann::json obj{{"v", "2"}, {"type", "none"}};
  add_transport(p, obj);
  obj["tls"] = to_string(p.security);
  if (p.security == link_security::tls) {
    link_query tls;
    add_tls_hints(p.tls, tls);
    put(tls, obj);
  }
  obj["id"] = s.uuid;
  // The client's cipher is left to Xray's default; `none` and `zero` are gone from Xray.
  obj["scy"] = "auto";
  obj["ps"] = e.remark;
  obj["add"] = bare_host(e.address);
  obj["port"] = entry_port(e);
  if (e.via) {
    auto security = effective_security(*e.via, to_string(p.security));
    if (e.via->force_tls == "none")
      for (const char* key : {"alpn", "sni", "fp", "pcs"})
        obj.erase(key);
    if (e.via->force_tls != "same")
      obj["tls"] = e.via->force_tls;
    if (security == "tls") {
      link_query hints;
      add_proxy_tls_hints(*e.via, hints);
      put(hints, obj);
    }
  }
  return "vmess://" + base64_encode(go_json(obj, true));
}

} // namespace fleet::subscription_detail
