#include "common/text.hpp"
#include "coordinator/subscription/go_json.hpp"
#include "coordinator/subscription/stream_readers.hpp"

namespace fleet::subscription_detail {

namespace {

/// The `Host` entry of a header map, any case; a list gives its first value.
std::string host_header(const nlohmann::json& headers) {
  if (!headers.is_object())
    return {};
  for (const auto& [name, value] : headers.items()) {
    if (ascii_lower(name) != "host")
      continue;
    if (value.is_array())
      return !value.empty() && value.front().is_string() ? value.front().get<std::string>() : "";
    return value.is_string() ? value.get<std::string>() : "";
  }
  return {};
}

/// ws, httpupgrade and xhttp: `path` always, `host` from the field or the headers.
void read_path_and_host(const nlohmann::json& settings, transport_hints& out) {
  out.path = string_at(settings, "path");
  out.host = string_at(settings, "host");
  if (out.host.empty())
    out.host = host_header(object_at(settings, "headers"));
}

/// A positive whole number written as a JSON number, else 0.
int64_t positive_int(const nlohmann::json& obj, const char* key) {
  auto i = obj.find(key);
  if (i == obj.end() || !i->is_number())
    return 0;
  auto value = i->is_number_float() ? static_cast<int64_t>(i->get<double>()) : i->get<int64_t>();
  return value > 0 ? value : 0;
}

void read_tcp(const nlohmann::json& tcp, transport_hints& out) {
  const auto& header = object_at(tcp, "header");
  out.tcp_header_type = string_at(header, "type");
  if (out.tcp_header_type != "http")
    return;
  out.http_header = true;
  const auto& request = object_at(header, "request");
  if (auto i = request.find("path"); i != request.end() && i->is_array() && !i->empty())
    out.path = i->front().is_string() ? i->front().get<std::string>() : "";
  // The panel prefers the response's Host over the request's.
  out.host = host_header(object_at(object_at(header, "response"), "headers"));
  if (out.host.empty())
    out.host = host_header(object_at(request, "headers"));
}

void read_kcp(const nlohmann::json& kcp, transport_hints& out) {
  if (auto type = string_at(object_at(kcp, "header"), "type"); !type.empty())
    out.kcp_header_type = type;
  out.kcp_seed = string_at(kcp, "seed");
  out.kcp_mtu = positive_int(kcp, "mtu");
  out.kcp_tti = positive_int(kcp, "tti");
}

bool non_empty_string(const nlohmann::json& obj, const char* key) {
  return !string_at(obj, key).empty();
}

bool true_at(const nlohmann::json& obj, const char* key) {
  auto i = obj.find(key);
  return i != obj.end() && i->is_boolean() && i->get<bool>();
}

/// The xhttp settings both ends must agree on, as 3X-UI packs them into `extra`: set values
/// only, Xray's defaults left out.
nlohmann::json xhttp_extra(const nlohmann::json& xhttp) {
  auto extra = nlohmann::json::object();
  for (const char* key : {"mode", "xPaddingBytes"})
    if (non_empty_string(xhttp, key))
      extra[key] = string_at(xhttp, key);
  if (true_at(xhttp, "xPaddingObfsMode")) {
    extra["xPaddingObfsMode"] = true;
    for (const char* key : {"xPaddingKey", "xPaddingHeader", "xPaddingPlacement", "xPaddingMethod"})
      if (non_empty_string(xhttp, key))
        extra[key] = string_at(xhttp, key);
  }
  for (const char* key :
       {"uplinkHTTPMethod", "sessionIDPlacement", "sessionIDKey", "sessionIDTable",
        "sessionIDLength", "seqPlacement", "seqKey", "uplinkDataPlacement", "uplinkDataKey"})
    if (non_empty_string(xhttp, key))
      extra[key] = string_at(xhttp, key);
  // Xray's own defaults; the literal 30 is also a known fingerprint.
  if (auto v = string_at(xhttp, "scMaxEachPostBytes"); !v.empty() && v != "1000000")
    extra["scMaxEachPostBytes"] = v;
  if (auto v = string_at(xhttp, "scMinPostsIntervalMs"); !v.empty() && v != "30")
    extra["scMinPostsIntervalMs"] = v;
  // Inbounds saved before Xray renamed the session keys; both names go out for old and new
  // clients.
  if (!extra.contains("sessionIDPlacement") && non_empty_string(xhttp, "sessionPlacement"))
    extra["sessionIDPlacement"] = string_at(xhttp, "sessionPlacement");
  if (!extra.contains("sessionIDKey") && non_empty_string(xhttp, "sessionKey"))
    extra["sessionIDKey"] = string_at(xhttp, "sessionKey");
  if (extra.contains("sessionIDPlacement"))
    extra["sessionPlacement"] = extra["sessionIDPlacement"];
  if (extra.contains("sessionIDKey"))
    extra["sessionKey"] = extra["sessionIDKey"];
  if (auto i = xhttp.find("uplinkChunkSize"); i != xhttp.end()) {
    if ((i->is_string() && !i->get<std::string>().empty())
        || (i->is_number() && i->get<double>() != 0.0))
      extra["uplinkChunkSize"] = *i;
  }
  if (true_at(xhttp, "noGRPCHeader"))
    extra["noGRPCHeader"] = true;
  for (const char* key : {"xmux", "downloadSettings"}) {
    auto i = xhttp.find(key);
    if (i != xhttp.end() && (i->is_object() || i->is_array()) && !i->empty())
      extra[key] = *i;
  }
  auto headers = nlohmann::json::object();
  for (const auto& [name, value] : object_at(xhttp, "headers").items())
    if (ascii_lower(name) != "host")
      headers[name] = value;
  if (!headers.empty())
    extra["headers"] = std::move(headers);
  return extra;
}

void read_xhttp(const nlohmann::json& xhttp, transport_hints& out) {
  read_path_and_host(xhttp, out);
  if (auto i = xhttp.find("mode"); i != xhttp.end() && i->is_string())
    out.xhttp_mode = i->get<std::string>();
  out.x_padding_bytes = string_at(xhttp, "xPaddingBytes");
  if (auto extra = xhttp_extra(xhttp); !extra.empty())
    out.xhttp_extra = go_json(extra);
}

} // namespace

std::string string_at(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object())
    return {};
  auto i = obj.find(key);
  return i != obj.end() && i->is_string() ? i->get<std::string>() : std::string{};
}

const nlohmann::json& object_at(const nlohmann::json& obj, const char* key) {
  static const nlohmann::json empty = nlohmann::json::object();
  if (!obj.is_object())
    return empty;
  auto i = obj.find(key);
  return i != obj.end() && i->is_object() ? *i : empty;
}

void read_transport(const nlohmann::json& stream, bool raw_name, link_profile& out) {
  auto& t = out.transport;
  switch (out.network) {
  case link_network::tcp:
    // Xray's `raw` keeps its settings under `rawSettings` (`tcpSettings` still works).
    read_tcp(raw_name && stream.contains("rawSettings") ? object_at(stream, "rawSettings")
                                                        : object_at(stream, "tcpSettings"),
             t);
    break;
  case link_network::ws:
    read_path_and_host(object_at(stream, "wsSettings"), t);
    break;
  case link_network::httpupgrade:
    read_path_and_host(object_at(stream, "httpupgradeSettings"), t);
    break;
  case link_network::grpc: {
    const auto& grpc = object_at(stream, "grpcSettings");
    t.service_name = string_at(grpc, "serviceName");
    t.authority = string_at(grpc, "authority");
    t.multi_mode = true_at(grpc, "multiMode");
    break;
  }
  case link_network::xhttp:
    read_xhttp(object_at(stream, "xhttpSettings"), t);
    break;
  case link_network::kcp:
    read_kcp(object_at(stream, "kcpSettings"), t);
    break;
  }
}

} // namespace fleet::subscription_detail
