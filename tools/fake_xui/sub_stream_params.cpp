// Transport and security parameters of share links, after 3x-ui's internal/sub/service.go.
// Lookups are direct where the panel searches its maps recursively: with the shapes the panel
// stores there is one match either way.

#include "tools/fake_xui/sub_stream_params.hpp"

#include "common/text.hpp"
#include "tools/fake_xui/json_fields.hpp"
#include "tools/fake_xui/sub_links.hpp"

namespace fleet::fake {

namespace {

using nlohmann::json;

/// 3x-ui `searchHost`: the `Host` header (any case), a string or the first of a list.
std::string host_header(const json& headers) {
  if (!headers.is_object())
    return {};
  for (const auto& [name, value] : headers.items()) {
    if (ascii_lower(name) != "host")
      continue;
    if (value.is_array())
      return !value.empty() && value[0].is_string() ? value[0].get<std::string>() : "";
    return value.is_string() ? value.get<std::string>() : "";
  }
  return {};
}

/// ws/httpupgrade/xhttp: `path` always, `host` from the field or else the headers.
template <class Out>
void path_and_host(const json& settings, Out& out) {
  out["path"] = string_or(settings, "path");
  auto host = string_or(settings, "host");
  out["host"] = !host.empty() ? host : host_header(object_at(settings, "headers"));
}

/// tcp with an http header: the first request path and the Host (response headers first).
template <class Out>
void tcp_http_header(const json& header, Out& out) {
  const auto& request = object_at(header, "request");
  if (auto i = request.find("path"); i != request.end() && i->is_array() && !i->empty())
    out["path"] = (*i)[0].is_string() ? (*i)[0].get<std::string>() : "";
  auto host = host_header(object_at(object_at(header, "response"), "headers"));
  if (host.empty())
    host = host_header(object_at(request, "headers"));
  out["host"] = host;
}

/// 3x-ui `buildXhttpExtra`: the two-sided xhttp settings a client must match.
json xhttp_extra(const json& xhttp) {
  auto extra = json::object();
  if (auto mode = string_or(xhttp, "mode"); !mode.empty())
    extra["mode"] = mode;
  if (auto bytes = string_or(xhttp, "xPaddingBytes"); !bytes.empty())
    extra["xPaddingBytes"] = bytes;
  if (bool_or(xhttp, "xPaddingObfsMode", false)) {
    extra["xPaddingObfsMode"] = true;
    for (const auto* field :
         {"xPaddingKey", "xPaddingHeader", "xPaddingPlacement", "xPaddingMethod"})
      if (auto v = string_or(xhttp, field); !v.empty())
        extra[field] = v;
  }
  for (const auto* field :
       {"uplinkHTTPMethod", "sessionIDPlacement", "sessionIDKey", "sessionIDTable",
        "sessionIDLength", "seqPlacement", "seqKey", "uplinkDataPlacement", "uplinkDataKey",
        "scMaxEachPostBytes", "scMinPostsIntervalMs"}) {
    auto v = string_or(xhttp, field);
    // Values equal to xray-core's defaults are left out.
    auto core_default = std::string{field} == "scMaxEachPostBytes"     ? "1000000"
                        : std::string{field} == "scMinPostsIntervalMs" ? "30"
                                                                       : "";
    if (!v.empty() && v != core_default)
      extra[field] = v;
  }
  for (const auto& [legacy, renamed] : {std::pair{"sessionPlacement", "sessionIDPlacement"},
                                        std::pair{"sessionKey", "sessionIDKey"}})
    if (!extra.contains(renamed))
      if (auto v = string_or(xhttp, legacy); !v.empty())
        extra[renamed] = v;
  if (auto v = string_or(extra, "sessionIDPlacement"); !v.empty())
    extra["sessionPlacement"] = v;
  if (auto v = string_or(extra, "sessionIDKey"); !v.empty())
    extra["sessionKey"] = v;
  if (auto i = xhttp.find("uplinkChunkSize"); i != xhttp.end())
    if ((i->is_string() && !i->get<std::string>().empty())
        || (i->is_number() && i->get<double>() != 0.0))
      extra["uplinkChunkSize"] = *i;
  if (bool_or(xhttp, "noGRPCHeader", false))
    extra["noGRPCHeader"] = true;
  for (const auto* field : {"xmux", "downloadSettings"})
    if (auto i = xhttp.find(field);
        i != xhttp.end() && (i->is_object() || i->is_array()) && !i->empty())
      extra[field] = *i;
  auto headers = json::object();
  for (const auto& [name, value] : object_at(xhttp, "headers").items())
    if (ascii_lower(name) != "host")
      headers[name] = value;
  if (!headers.empty())
    extra["headers"] = headers;
  return extra;
}

/// The TLS fields shared by links and vmess objects (`sni`, `fp`, `ech`, `vcn`, `pcs`).
template <class Out>
void tls_fields(const json& tls, Out& out) {
  if (has_key(tls, "serverName"))
    out["sni"] = string_or(tls, "serverName");
  if (!tls.is_object())
    return;
  const auto& settings = object_at(tls, "settings");
  if (has_key(settings, "fingerprint"))
    out["fp"] = string_or(settings, "fingerprint");
  if (auto ech = string_or(settings, "echConfigList"); !ech.empty())
    out["ech"] = ech;
  auto vcn = string_or(settings, "verifyPeerCertByName");
  vcn.erase(0, vcn.find_first_not_of(" \t\r\n"));
  vcn.erase(vcn.find_last_not_of(" \t\r\n") + 1);
  if (!vcn.empty())
    out["vcn"] = vcn;
  std::vector<std::string> pins;
  if (auto i = settings.find("pinnedPeerCertSha256"); i != settings.end() && i->is_array())
    for (const auto& pin : *i)
      if (pin.is_string() && !pin.get<std::string>().empty())
        pins.push_back(pin.get<std::string>());
  if (!pins.empty())
    out["pcs"] = join(pins, ",");
}

/// The string entries of `tlsSettings.alpn`.
std::vector<std::string> alpn_of(const json& tls, bool* present = nullptr) {
  std::vector<std::string> out;
  auto i = tls.is_object() ? tls.find("alpn") : tls.end();
  if (present != nullptr)
    *present = tls.is_object() && i != tls.end() && i->is_array() && !i->empty();
  if (tls.is_object() && i != tls.end() && i->is_array())
    for (const auto& a : *i)
      if (a.is_string())
        out.push_back(a.get<std::string>());
  return out;
}

/// One element of `list` at a random index, as the panel's `random.Num(len)` picks it.
std::string pick(const json& list, std::mt19937_64& rng) {
  std::uniform_int_distribution<size_t> index{0, list.size() - 1};
  const auto& chosen = list[index(rng)];
  return chosen.is_string() ? chosen.get<std::string>() : "";
}

} // namespace

void network_params(const json& stream, const std::string& network, link_params& p) {
  if (network == "tcp") {
    const auto& header = object_at(object_at(stream, "tcpSettings"), "header");
    if (string_or(header, "type") == "http") {
      tcp_http_header(header, p);
      p["headerType"] = "http";
    }
  } else if (network == "ws" || network == "httpupgrade") {
    path_and_host(object_at(stream, network == "ws" ? "wsSettings" : "httpupgradeSettings"), p);
  } else if (network == "grpc") {
    const auto& grpc = object_at(stream, "grpcSettings");
    p["serviceName"] = string_or(grpc, "serviceName");
    p["authority"] = string_or(grpc, "authority");
    if (bool_or(grpc, "multiMode", false))
      p["mode"] = "multi";
  } else if (network == "xhttp" && stream.contains("xhttpSettings")
             && stream["xhttpSettings"].is_object()) {
    const auto& xhttp = stream["xhttpSettings"];
    path_and_host(xhttp, p);
    if (auto i = xhttp.find("mode"); i != xhttp.end() && i->is_string())
      p["mode"] = i->get<std::string>();
    if (auto bytes = string_or(xhttp, "xPaddingBytes"); !bytes.empty())
      p["x_padding_bytes"] = bytes;
    if (auto extra = xhttp_extra(xhttp); !extra.empty())
      p["extra"] = go_json(extra, false);
  }
}

void tls_params(const json& stream, link_params& p) {
  p["security"] = "tls";
  const auto& tls = object_at(stream, "tlsSettings");
  if (auto alpn = alpn_of(tls); !alpn.empty())
    p["alpn"] = join(alpn, ",");
  tls_fields(tls, p);
}

void reality_params(const json& stream, link_params& p, const std::string& client_key,
                    std::mt19937_64& rng) {
  p["security"] = "reality";
  if (!has_key(stream, "realitySettings") || !stream["realitySettings"].is_object())
    return;
  const auto& reality = stream["realitySettings"];
  const auto& settings = object_at(reality, "settings");
  if (auto i = reality.find("serverNames"); i != reality.end() && i->is_array() && !i->empty())
    p["sni"] = pick(*i, rng);
  if (has_key(settings, "publicKey"))
    p["pbk"] = string_or(settings, "publicKey");
  if (auto i = reality.find("shortIds"); i != reality.end() && i->is_array() && !i->empty())
    p["sid"] = pick(*i, rng);
  if (auto fp = string_or(settings, "fingerprint"); !fp.empty())
    p["fp"] = fp;
  if (auto pqv = string_or(settings, "mldsa65Verify"); !pqv.empty())
    p["pqv"] = pqv;
  p["spx"] = derive_spider_x(string_or(settings, "spiderX"), client_key, rng);
}

void vmess_network(const json& stream, const std::string& network, json& obj) {
  obj["net"] = network;
  if (network == "tcp") {
    const auto& header = object_at(object_at(stream, "tcpSettings"), "header");
    obj["type"] = string_or(header, "type");
    if (string_or(header, "type") == "http")
      tcp_http_header(header, obj);
  } else if (network == "ws" || network == "httpupgrade") {
    path_and_host(object_at(stream, network == "ws" ? "wsSettings" : "httpupgradeSettings"), obj);
  } else if (network == "grpc") {
    const auto& grpc = object_at(stream, "grpcSettings");
    obj["path"] = string_or(grpc, "serviceName");
    obj["authority"] = string_or(grpc, "authority");
    if (bool_or(grpc, "multiMode", false))
      obj["type"] = "multi";
  } else if (network == "xhttp") {
    const auto& xhttp = object_at(stream, "xhttpSettings");
    path_and_host(xhttp, obj);
    if (auto i = xhttp.find("mode"); i != xhttp.end() && i->is_string())
      obj["mode"] = i->get<std::string>();
    if (auto bytes = string_or(xhttp, "xPaddingBytes"); !bytes.empty())
      obj["x_padding_bytes"] = bytes;
    // VMess objects take the xhttp extra fields flat.
    auto extra = xhttp_extra(xhttp); // `items()` of a temporary would outlive it in the loop
    for (const auto& [key, value] : extra.items())
      obj[key] = value;
  }
}

void vmess_tls(const json& stream, json& obj) {
  const auto& tls = object_at(stream, "tlsSettings");
  bool present = false;
  auto alpn = alpn_of(tls, &present);
  if (present)
    obj["alpn"] = join(alpn, ",");
  tls_fields(tls, obj);
}

} // namespace fleet::fake
