#include "coordinator/subscription/link_profile.hpp"

#include "common/error.hpp"
#include "common/shadowsocks_key.hpp"
#include "coordinator/subscription/listen_address.hpp"
#include "coordinator/subscription/stream_readers.hpp"

#include <nlohmann/json.hpp>

namespace fleet {

namespace {

using namespace subscription_detail;

/// `text` as a JSON object: `""` and `null` are empty objects, and a JSON string holding an
/// object (how Gen 1 panels nest it) is unwrapped.
std::optional<nlohmann::json> parse_object(const std::string& text) {
  if (text.empty())
    return nlohmann::json::object();
  auto value = nlohmann::json::parse(text, nullptr, false);
  if (value.is_string())
    value = nlohmann::json::parse(value.get<std::string>(), nullptr, false);
  if (value.is_null())
    return nlohmann::json::object();
  if (!value.is_object())
    return std::nullopt;
  return value;
}

std::optional<link_protocol> protocol_of(const std::string& name) {
  if (name == "vless")
    return link_protocol::vless;
  if (name == "vmess")
    return link_protocol::vmess;
  if (name == "trojan")
    return link_protocol::trojan;
  if (name == "shadowsocks")
    return link_protocol::shadowsocks;
  return std::nullopt;
}

std::optional<link_network> network_of(const std::string& name) {
  // Xray's default transport is tcp, and `raw` is tcp's new name.
  if (name.empty() || name == "tcp" || name == "raw")
    return link_network::tcp;
  if (name == "ws")
    return link_network::ws;
  if (name == "grpc")
    return link_network::grpc;
  if (name == "httpupgrade")
    return link_network::httpupgrade;
  if (name == "xhttp")
    return link_network::xhttp;
  if (name == "kcp" || name == "mkcp")
    return link_network::kcp;
  return std::nullopt;
}

std::optional<link_security> security_of(const std::string& name) {
  if (name.empty() || name == "none")
    return link_security::none;
  if (name == "tls")
    return link_security::tls;
  if (name == "reality")
    return link_security::reality;
  return std::nullopt;
}

/// The Shadowsocks method and, for 2022 methods, the server key; a reason when the
/// subscription cannot serve them.
std::string read_shadowsocks(const nlohmann::json& settings, link_profile& out) {
  out.ss_method = string_at(settings, "method");
  if (out.ss_method.empty())
    return "the shadowsocks inbound has no method";
  if (!is_shadowsocks_2022(out.ss_method))
    return {};
  if (out.ss_method == "2022-blake3-chacha20-poly1305")
    return "shadowsocks method 2022-blake3-chacha20-poly1305 is single-user in Xray, so fleet "
           "clients cannot have keys of their own on it";
  if (shadowsocks_2022_key_size(out.ss_method) == 0)
    return "shadowsocks method " + out.ss_method + " is not supported";
  out.ss_server_key = string_at(settings, "password");
  if (out.ss_server_key.empty())
    return "the shadowsocks 2022 inbound has no server key (settings.password)";
  return {};
}

} // namespace

const char* to_string(link_protocol x) {
  switch (x) {
  case link_protocol::vless:
    return "vless";
  case link_protocol::vmess:
    return "vmess";
  case link_protocol::trojan:
    return "trojan";
  case link_protocol::shadowsocks:
    return "shadowsocks";
  }
  return "?";
}

const char* to_string(link_network x) {
  switch (x) {
  case link_network::tcp:
    return "tcp";
  case link_network::ws:
    return "ws";
  case link_network::grpc:
    return "grpc";
  case link_network::httpupgrade:
    return "httpupgrade";
  case link_network::xhttp:
    return "xhttp";
  case link_network::kcp:
    return "kcp";
  }
  return "?";
}

const char* to_string(link_security x) {
  switch (x) {
  case link_security::none:
    return "none";
  case link_security::tls:
    return "tls";
  case link_security::reality:
    return "reality";
  }
  return "?";
}

caf::expected<link_profile> read_link_profile(const inbound_profile& in) {
  auto fail = [&in](ec code, const std::string& what) {
    auto name = "inbound " + std::to_string(in.id);
    if (!in.remark.empty())
      name += " (" + in.remark + ")";
    return make_error(code, name + ": " + what);
  };
  link_profile out;
  out.inbound_id = in.id;
  out.remark = in.remark;
  out.listen = in.listen;
  out.port = in.port;
  out.enable = in.enable;
  auto protocol = protocol_of(in.protocol);
  if (!protocol)
    return fail(ec::invalid_argument, "protocol '" + in.protocol
                                          + "' has no share link in the subscription (vless, "
                                            "vmess, trojan and shadowsocks have)");
  out.protocol = *protocol;
  if (listen_is_internal(in.listen))
    return fail(ec::invalid_argument, "listens on " + in.listen
                                          + ", which only the panel's host reaches (a fallback "
                                            "behind another inbound is not advertised)");
  if (in.port <= 0 || in.port > 65535)
    return fail(ec::invalid_argument, "port " + std::to_string(in.port) + " is out of range");
  auto settings = parse_object(in.settings);
  if (!settings)
    return fail(ec::parse_error, "settings are not a JSON object");
  auto stream = parse_object(in.stream_settings);
  if (!stream)
    return fail(ec::parse_error, "streamSettings are not a JSON object");
  auto network_name = string_at(*stream, "network");
  auto network = network_of(network_name);
  if (!network)
    return fail(ec::invalid_argument, "transport '" + network_name
                                          + "' is not supported (tcp, ws, grpc, httpupgrade, "
                                            "xhttp and kcp are)");
  out.network = *network;
  auto security_name = string_at(*stream, "security");
  auto security = security_of(security_name);
  if (!security)
    return fail(ec::invalid_argument,
                "security '" + security_name + "' is not supported (none, tls and reality are)");
  out.security = *security;
  if (out.security == link_security::reality
      && (out.protocol == link_protocol::vmess || out.protocol == link_protocol::shadowsocks))
    return fail(ec::invalid_argument,
                std::string{to_string(out.protocol)} + " over reality is not supported");
  if (out.protocol == link_protocol::vless) {
    if (auto i = settings->find("encryption"); i != settings->end() && i->is_string())
      out.vless_encryption = i->get<std::string>();
    for (const char* key : {"encryption", "decryption"}) {
      auto value = string_at(*settings, key);
      out.vless_encryption_enabled
          = out.vless_encryption_enabled || (!value.empty() && value != "none");
    }
  }
  if (out.protocol == link_protocol::shadowsocks)
    if (auto why = read_shadowsocks(*settings, out); !why.empty())
      return fail(ec::invalid_argument, why);
  read_transport(*stream, network_name == "raw", out);
  if (out.security == link_security::tls)
    read_tls(*stream, out);
  if (out.security == link_security::reality)
    read_reality(*stream, out);
  read_finalmask(*stream, out);
  if (auto why = read_external_proxies(*stream, out); !why.empty())
    return fail(ec::invalid_argument, why);
  return out;
}

} // namespace fleet
