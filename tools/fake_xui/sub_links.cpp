// Share links per protocol, after 3x-ui's internal/sub/service.go (`genVlessLink`,
// `genVmessLink`, `genTrojanLink`, `genShadowsocksLink`) and endpoint.go (externalProxy).

#include "tools/fake_xui/sub_links.hpp"

#include "tools/fake_xui/json_fields.hpp"
#include "tools/fake_xui/sub_encoding.hpp"
#include "tools/fake_xui/sub_stream_params.hpp"

namespace fleet::fake {

namespace {

using nlohmann::json;

/// 3x-ui `appendQueryAndFragment`: `?query` (the `security` value replaced by a non-empty
/// `security_override`, the TLS hints left out with `omit_tls`) and `#remark`.
std::string with_query(std::string link, link_params p, const std::string& remark,
                       const std::string& security_override = "", bool omit_tls = false) {
  if (!security_override.empty() && p.count("security") != 0)
    p["security"] = security_override;
  if (omit_tls)
    for (const auto* hint : {"alpn", "sni", "fp", "pcs"})
      p.erase(hint);
  if (auto query = encode_query(p); !query.empty())
    link += "?" + query;
  if (!remark.empty())
    link += "#" + component_escape(remark);
  return link;
}

/// 3x-ui `applyExternalProxyTLSParams`: an entry's TLS hints over the inbound's.
template <class Out>
void external_tls(const json& entry, Out& out, const std::string& security) {
  if (security != "tls")
    return;
  if (auto sni = string_or(entry, "sni"); !sni.empty())
    out["sni"] = sni;
  if (auto fp = string_or(entry, "fingerprint"); !fp.empty())
    out["fp"] = fp;
  auto strings = [](const json& list) {
    std::string joined;
    if (list.is_string())
      return list.get<std::string>();
    if (list.is_array())
      for (const auto& item : list)
        if (item.is_string() && !item.get<std::string>().empty())
          joined += (joined.empty() ? "" : ",") + item.get<std::string>();
    return joined;
  };
  if (auto alpn = strings(entry.value("alpn", json{})); !alpn.empty())
    out["alpn"] = alpn;
  if (auto i = entry.find("pinnedPeerCertSha256"); i != entry.end() && i->is_array())
    if (auto pins = strings(*i); !pins.empty())
      out["pcs"] = pins;
  if (auto vcn = string_or(entry, "verifyPeerCertByName"); !vcn.empty())
    out["vcn"] = vcn;
  if (auto ech = string_or(entry, "echConfigList"); !ech.empty())
    out["ech"] = ech;
}

/// The externalProxy entries of a stream (objects only).
std::vector<json> external_proxies(const json& stream) {
  std::vector<json> out;
  if (auto i = stream.find("externalProxy"); i != stream.end() && i->is_array())
    for (const auto& entry : *i)
      out.push_back(entry.is_object() ? entry : json::object());
  return out;
}

/// What every generator works from.
struct link_job {
  const inbound& in;
  const json& client;
  const std::string& address;
  const std::function<std::string()>& remark;
  std::mt19937_64& rng;
  json stream;
  std::string network;
};

/// One URL link per externalProxy entry (3x-ui `buildEndpointLinks`), or one for the address.
std::vector<std::string> url_links(const link_job& job, const std::string& scheme_userinfo,
                                   const link_params& p, const std::string& security) {
  const auto& remark = job.remark;
  auto entries = external_proxies(job.stream);
  if (entries.empty())
    return {
        with_query(scheme_userinfo + "@" + join_host_port(job.address, job.in.port), p, remark())};
  std::vector<std::string> out;
  for (const auto& entry : entries) {
    auto force = string_or(entry, "forceTls");
    auto applied = force == "same" ? security : force;
    auto next = p;
    external_tls(entry, next, applied);
    auto hostport = join_host_port(string_or(entry, "dest"), int_or(entry, "port", 0));
    out.push_back(
        with_query(scheme_userinfo + "@" + hostport, next, remark(), applied, force == "none"));
  }
  return out;
}

/// The per-client key REALITY's spiderX derives from: the subscription id, else the email.
std::string sub_key(const json& client) {
  auto sub_id = string_or(client, "subId");
  return !sub_id.empty() ? sub_id : string_or(client, "email");
}

bool vless_encryption(const json& settings) {
  for (const auto* key : {"encryption", "decryption"})
    if (auto v = string_or(settings, key); !v.empty() && v != "none")
      return true;
  return false;
}

/// The security parameters of vless and trojan links; returns the stream's security.
std::string security_params(const link_job& job, link_params& p) {
  auto security = string_or(job.stream, "security");
  if (security == "tls")
    tls_params(job.stream, p);
  else if (security == "reality")
    reality_params(job.stream, p, sub_key(job.client), job.rng);
  else
    p["security"] = "none";
  return security;
}

std::vector<std::string> vless_links(const link_job& job) {
  const auto& settings = job.in.settings;
  link_params p{{"type", job.network}};
  if (auto i = settings.find("encryption"); i != settings.end() && i->is_string())
    p["encryption"] = i->get<std::string>();
  network_params(job.stream, job.network, p);
  auto security = security_params(job, p);
  auto flow = string_or(job.client, "flow");
  auto flow_allowed = job.network == "tcp" ? security == "tls" || security == "reality"
                                           : job.network == "xhttp" && vless_encryption(settings);
  if (!flow.empty() && flow_allowed)
    p["flow"] = flow;
  return url_links(job, "vless://" + string_or(job.client, "id"), p, security);
}

std::vector<std::string> trojan_links(const link_job& job) {
  link_params p{{"type", job.network}};
  network_params(job.stream, job.network, p);
  auto security = security_params(job, p);
  auto flow = string_or(job.client, "flow");
  if (security == "reality" && job.network == "tcp" && !flow.empty())
    p["flow"] = flow;
  return url_links(job, "trojan://" + component_escape(string_or(job.client, "password")), p,
                   security);
}

std::vector<std::string> shadowsocks_links(const link_job& job) {
  const auto& settings = job.in.settings;
  link_params p{{"type", job.network}};
  network_params(job.stream, job.network, p);
  auto security = string_or(job.stream, "security");
  if (security == "tls")
    tls_params(job.stream, p);
  if (job.network == "tcp" && p.count("headerType") != 0 && p["headerType"] == "http") {
    // SIP002 clients read only `plugin`: the http header becomes obfs-local.
    auto host = p["host"];
    for (const auto* key : {"type", "headerType", "host", "path"})
      p.erase(key);
    p["plugin"] = "obfs-local;obfs=http;obfs-host=" + host;
  }
  auto method = string_or(settings, "method");
  auto password = string_or(job.client, "password");
  auto userinfo = method.rfind("2022", 0) == 0
                      ? query_escape(method) + ":" + query_escape(string_or(settings, "password"))
                            + ":" + query_escape(password)
                      : base64_url_raw(method + ":" + password);
  if (!external_proxies(job.stream).empty())
    p["security"] = security;
  return url_links(job, "ss://" + userinfo, p, security);
}

std::string vmess_link(const json& obj) {
  return "vmess://" + base64_std(go_json(obj, true));
}

std::vector<std::string> vmess_links(const link_job& job) {
  const auto& stream = job.stream;
  const auto& remark = job.remark;
  json obj{{"v", "2"}, {"add", job.address}, {"port", job.in.port}, {"type", "none"}};
  vmess_network(stream, job.network, obj);
  auto security = string_or(stream, "security");
  obj["tls"] = security;
  if (security == "tls")
    vmess_tls(stream, obj);
  obj["id"] = string_or(job.client, "id");
  auto scy = string_or(job.client, "security");
  obj["scy"] = scy.empty() || scy == "none" || scy == "zero" ? "auto" : scy;
  auto entries = external_proxies(stream);
  if (entries.empty()) {
    obj["ps"] = remark();
    return {vmess_link(obj)};
  }
  std::vector<std::string> out;
  for (const auto& entry : entries) {
    auto force = string_or(entry, "forceTls");
    auto next = obj;
    if (force == "none")
      for (const auto* hint : {"alpn", "sni", "fp", "pcs"})
        next.erase(hint);
    next["ps"] = remark();
    next["add"] = string_or(entry, "dest");
    next["port"] = int_or(entry, "port", 0);
    if (force != "same")
      next["tls"] = force;
    external_tls(entry, next, force == "same" ? security : force);
    out.push_back(vmess_link(next));
  }
  return out;
}

} // namespace

std::vector<std::string> share_links(const inbound& in, const json& client,
                                     const std::string& address,
                                     const std::function<std::string()>& remark,
                                     std::mt19937_64& rng) {
  auto stream = json::parse(in.stream_settings, nullptr, false);
  if (!stream.is_object())
    stream = json::object();
  auto network = string_or(stream, "network");
  link_job job{in, client, address, remark, rng, std::move(stream), std::move(network)};
  if (in.protocol == "vless")
    return vless_links(job);
  if (in.protocol == "vmess")
    return vmess_links(job);
  if (in.protocol == "trojan")
    return trojan_links(job);
  if (in.protocol == "shadowsocks")
    return shadowsocks_links(job);
  return {};
}

std::string derive_spider_x(const std::string& seed, const std::string& key, std::mt19937_64& rng) {
  if (seed.empty() && key.empty()) {
    static constexpr char alphabet[]
        = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::uniform_int_distribution<size_t> pick{0, sizeof(alphabet) - 2};
    std::string out = "/";
    for (int i = 0; i < 15; ++i)
      out += alphabet[pick(rng)];
    return out;
  }
  return "/" + sha256_hex(seed + "|" + key).substr(0, 15);
}

std::string go_json(const json& value, bool indent) {
  auto text = indent ? value.dump(2, ' ', false, json::error_handler_t::replace)
                     : value.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = text[i];
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else if (c == '\xe2' && i + 2 < text.size() && text[i + 1] == '\x80'
             && (text[i + 2] == '\xa8' || text[i + 2] == '\xa9')) {
      out += text[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

} // namespace fleet::fake
