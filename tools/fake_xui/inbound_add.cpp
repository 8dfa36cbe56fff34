// Adding inbounds to an emulated panel (the control API's "add inbound").

#include "common/clock.hpp"
#include "common/text.hpp"
#include "tools/fake_xui/fake_panel.hpp"
#include "tools/fake_xui/json_fields.hpp"

#include <algorithm>
#include <unordered_set>

namespace fleet::fake {

namespace {

/// The protocols 3x-ui's inbound validation accepts (3x-ui-api.md §11.6), plus the classic
/// panels' socks and dokodemo-door.
bool known_protocol(const std::string& protocol) {
  static const char* const names[]
      = {"vmess", "vless",  "trojan", "shadowsocks", "wireguard", "hysteria",     "http",
         "mixed", "tunnel", "tun",    "mtproto",     "socks",     "dokodemo-door"};
  return std::any_of(std::begin(names), std::end(names),
                     [&](const char* n) { return protocol == n; });
}

} // namespace

std::string fake_panel::add_inbound(inbound_spec spec, int64_t* new_id) {
  if (!known_protocol(spec.protocol))
    return "unknown protocol \"" + spec.protocol + "\"";
  if (spec.port < 1 || spec.port > 65535)
    return "port " + std::to_string(spec.port) + " is not 1..65535";
  for (const auto& other : inbounds_)
    if (other.port == spec.port)
      return "Port already exists: " + std::to_string(spec.port);
  if (!spec.settings.is_object() || !spec.stream_settings.is_object())
    return "settings and streamSettings must be JSON objects";
  if (spec.settings.contains("clients") && !spec.settings["clients"].is_array())
    return "settings.clients must be an array";
  inbound in;
  in.remark = spec.remark;
  in.listen = spec.listen;
  in.port = spec.port;
  in.protocol = spec.protocol;
  in.enable = spec.enable;
  in.settings = std::move(spec.settings);
  in.stream_settings = spec.stream_settings.dump(2);
  if (spec.sniffing.is_null())
    spec.sniffing = {{"enabled", true},
                     {"destOverride", {"http", "tls", "quic", "fakedns"}},
                     {"metadataOnly", false},
                     {"routeOnly", false}};
  in.sniffing = spec.sniffing.dump(2);
  std::unordered_set<std::string> taken;
  for (const auto& other : inbounds_)
    for (const auto& c : clients_in(other))
      taken.insert(ascii_lower(string_or(c, "email")));
  auto key = key_field(in);
  auto now = now_ms();
  for (auto& c : in.settings.value("clients", nlohmann::json::array())) {
    if (string_or(c, key.c_str()).empty())
      return "empty client ID\n";
    auto email = string_or(c, "email");
    if (!email.empty() && !taken.insert(ascii_lower(email)).second)
      return "Duplicate email: " + email + "\n";
  }
  for (auto& c : clients_of(in)) {
    if (!c.contains("created_at"))
      c["created_at"] = now;
    if (!c.contains("updated_at"))
      c["updated_at"] = now;
  }
  in.id = next_inbound_id_++;
  inbounds_.push_back(std::move(in));
  for (const auto& c : clients_in(inbounds_.back()))
    add_traffic_row(inbounds_.back(), c);
  if (new_id != nullptr)
    *new_id = inbounds_.back().id;
  return {};
}

} // namespace fleet::fake
