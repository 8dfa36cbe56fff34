#include "coordinator/subscription/config_renderers.hpp"
#include "coordinator/subscription/link_parts.hpp"
#include "coordinator/subscription/proxy_names.hpp"
#include "coordinator/subscription/proxy_support.hpp"
#include "coordinator/subscription/url_text.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace fleet::subscription_detail {

namespace {

using json = nlohmann::ordered_json;

/// A ws transport; Xray's `?ed=N` path suffix becomes sing-box's early data.
json ws_transport(const transport_hints& t) {
  json x{{"type", "ws"}};
  auto path = t.path.value_or("");
  std::optional<int64_t> early_data;
  if (auto at = path.find("?ed="); at != std::string::npos) {
    auto digits = path.substr(at + 4);
    bool number = !digits.empty() && digits.size() <= 9
                  && digits.find_first_not_of("0123456789") == std::string::npos;
    if (number) {
      early_data = std::stoll(digits);
      path.erase(at);
    }
  }
  x["path"] = path;
  if (!t.host.empty())
    x["headers"] = json{{"Host", t.host}};
  if (early_data) {
    x["max_early_data"] = *early_data;
    x["early_data_header_name"] = "Sec-WebSocket-Protocol";
  }
  return x;
}

std::optional<json> transport(const link_profile& p) {
  const auto& t = p.transport;
  switch (p.network) {
  case link_network::ws:
    return ws_transport(t);
  case link_network::httpupgrade: {
    json x{{"type", "httpupgrade"}};
    if (!t.host.empty())
      x["host"] = t.host;
    x["path"] = t.path.value_or("");
    return x;
  }
  case link_network::grpc:
    return json{{"type", "grpc"}, {"service_name", t.service_name}};
  case link_network::tcp:
    if (t.http_header) {
      json x{{"type", "http"}};
      if (!t.host.empty())
        x["host"] = json::array({t.host});
      if (t.path)
        x["path"] = *t.path;
      return x;
    }
    return std::nullopt;
  default:
    return std::nullopt;
  }
}

json tls_options(const link_profile& p, const proxy_security& sec) {
  json x{{"enabled", true}};
  if (sec.kind == link_security::reality) {
    const auto& r = *sec.reality;
    if (!r.server_names.empty())
      x["server_name"] = r.server_names.front();
    // sing-box's REALITY client refuses to run without uTLS.
    x["utls"]
        = json{{"enabled", true},
               {"fingerprint", r.fingerprint.empty() ? "chrome" : utls_name(r.fingerprint, false)}};
    x["reality"] = json{{"enabled", true},
                        {"public_key", r.public_key.value_or("")},
                        {"short_id", r.short_ids.empty() ? "" : r.short_ids.front()}};
    return x;
  }
  if (!sec.tls.server_name.value_or("").empty())
    x["server_name"] = *sec.tls.server_name;
  // The ws and httpupgrade clients only force http/1.1 when ALPN is empty, and h2 breaks the
  // upgrade; gRPC picks h2 itself.
  auto alpn = alpn_list(sec.tls);
  if (p.network == link_network::ws || p.network == link_network::httpupgrade) {
    if (!alpn.empty())
      x["alpn"] = json::array({"http/1.1"});
  } else if (p.network != link_network::grpc && !alpn.empty()) {
    x["alpn"] = alpn;
  }
  if (!sec.tls.fingerprint.value_or("").empty())
    x["utls"] = json{{"enabled", true}, {"fingerprint", utls_name(*sec.tls.fingerprint, false)}};
  return x;
}

std::optional<json> singbox_outbound(const subscription_entry& e, const subscriber& s,
                                     std::string& why) {
  const auto& p = *e.profile;
  auto sec = resolve_security(e);
  why = common_problem(e, sec);
  if (why.empty() && p.vless_encryption_enabled)
    why = "VLESS encryption has no sing-box form";
  if (!why.empty())
    return std::nullopt;
  json x{{"type", to_string(p.protocol)},
         {"tag", ""},
         {"server", bare_host(e.address)},
         {"server_port", entry_port(e)}};
  switch (p.protocol) {
  case link_protocol::vless:
    x["uuid"] = s.uuid;
    if (!s.flow.empty() && proxy_flow_fits(e, sec))
      x["flow"] = s.flow;
    break;
  case link_protocol::vmess:
    x["uuid"] = s.uuid;
    x["security"] = "auto";
    x["alter_id"] = 0;
    break;
  case link_protocol::trojan:
    x["password"] = s.uuid;
    break;
  case link_protocol::shadowsocks: {
    x["method"] = p.ss_method;
    x["password"] = shadowsocks_proxy_password(p, s);
    if (p.transport.http_header) {
      x["plugin"] = "obfs-local";
      x["plugin_opts"] = "obfs=http;obfs-host=" + p.transport.host;
    }
    return x;
  }
  }
  if (sec.kind != link_security::none)
    x["tls"] = tls_options(p, sec);
  if (auto t = transport(p))
    x["transport"] = std::move(*t);
  return x;
}

} // namespace

rendered_subscription render_singbox(const subscriber& s,
                                     const std::vector<subscription_entry>& entries) {
  rendered_subscription out;
  out.content_type = "application/json; charset=utf-8";
  out.filename = "subscription.json";
  proxy_names names{{"proxy", "auto", "direct", "tun-in"}};
  auto mapped = map_entries(
      entries, names, "tag",
      [&s](const subscription_entry& e, std::string& why) { return singbox_outbound(e, s, why); },
      out.left_out);
  auto outbounds = json::array();
  auto tags = json::array();
  for (auto& outbound : mapped) {
    tags.push_back(outbound["tag"]);
    outbounds.push_back(std::move(outbound));
  }
  // An urltest group needs members; without any the selector offers `direct` alone.
  json selector{{"type", "selector"}, {"tag", "proxy"}};
  auto all = json::array();
  if (!tags.empty()) {
    all.push_back("auto");
    for (const auto& tag : tags)
      all.push_back(tag);
    outbounds.insert(outbounds.begin(),
                     json{{"type", "urltest"}, {"tag", "auto"}, {"outbounds", tags}});
    selector["outbounds"] = std::move(all);
    selector["default"] = "auto";
  } else {
    selector["outbounds"] = json::array({"direct"});
  }
  outbounds.insert(outbounds.begin(), std::move(selector));
  outbounds.push_back(json{{"type", "direct"}, {"tag", "direct"}});
  json tun{{"type", "tun"},
           {"tag", "tun-in"},
           {"address", json::array({"172.19.0.1/30", "fdfe:dcba:9876::1/126"})},
           {"auto_route", true},
           {"strict_route", true}};
  json route{{"rules", json::array({json{{"action", "sniff"}},
                                    json{{"protocol", "dns"}, {"action", "hijack-dns"}},
                                    json{{"ip_is_private", true}, {"outbound", "direct"}}})},
             {"final", "proxy"},
             {"auto_detect_interface", true}};
  json doc{{"log", json{{"level", "warn"}}},
           {"inbounds", json::array({std::move(tun)})},
           {"outbounds", std::move(outbounds)},
           {"route", std::move(route)}};
  out.body = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  return out;
}

} // namespace fleet::subscription_detail
