#include "common/panel/xui_api.hpp"

#include "common/saturating.hpp"

#include <limits>
#include <map>

namespace fleet {

namespace {

/// An integer field; 0 when absent, not a number or outside int64 (a garbled answer: a float
/// that large has no integer value, and converting it would be undefined).
int64_t int_of(const nlohmann::json& o, const char* key) {
  auto i = o.find(key);
  if (i == o.end())
    return 0;
  if (i->is_number_unsigned())
    return i->get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
               ? i->get<int64_t>()
               : 0;
  if (i->is_number_integer())
    return i->get<int64_t>();
  if (i->is_number_float()) {
    // 2^63 is exact as a double; every double in (-2^63, 2^63) converts.
    auto x = i->get<double>();
    constexpr double limit = 9223372036854775808.0;
    return x > -limit && x < limit ? static_cast<int64_t>(x) : 0;
  }
  return 0;
}

std::string str_of(const nlohmann::json& o, const char* key) {
  auto i = o.find(key);
  return i != o.end() && i->is_string() ? i->get<std::string>() : std::string{};
}

bool bool_of(const nlohmann::json& o, const char* key, bool fallback) {
  auto i = o.find(key);
  return i != o.end() && i->is_boolean() ? i->get<bool>() : fallback;
}

caf::error bad_shape(const std::string& what) {
  return make_error(ec::panel_bad_response, "the panel's " + what + " has an unexpected shape");
}

/// The settings of an inbound: classic panels send a JSON string, gen2 panels an object (and
/// a string when the stored text is not JSON). Anything unreadable has no clients.
nlohmann::json settings_of(const nlohmann::json& inbound) {
  auto i = inbound.find("settings");
  if (i == inbound.end())
    return {};
  if (i->is_string())
    return nlohmann::json::parse(i->get<std::string>(), nullptr, false);
  return *i;
}

/// A JSON field that classic panels send as text and gen2 panels as an object, as text.
std::string json_text_of(const nlohmann::json& item, const char* key) {
  auto i = item.find(key);
  if (i == item.end())
    return "{}";
  auto value = i->is_string() ? nlohmann::json::parse(i->get<std::string>(), nullptr, false) : *i;
  return value.is_object() ? value.dump() : "{}";
}

panel_inbound read_inbound(const nlohmann::json& item) {
  panel_inbound in;
  in.id = int_of(item, "id");
  in.remark = str_of(item, "remark");
  in.protocol = str_of(item, "protocol");
  in.port = int_of(item, "port");
  in.enable = bool_of(item, "enable", true);
  in.up = int_of(item, "up");
  in.down = int_of(item, "down");
  in.listen = str_of(item, "listen");
  in.stream_settings = json_text_of(item, "streamSettings");
  // `clientStats` is null in `get/:id` before v3.2.5 and in echoes of add/update.
  std::map<std::string, const nlohmann::json*> stats;
  if (auto s = item.find("clientStats"); s != item.end() && s->is_array())
    for (const auto& t : *s)
      if (t.is_object())
        stats[str_of(t, "email")] = &t;
  auto settings = settings_of(item);
  if (settings.is_object()) {
    auto without_clients = settings;
    without_clients.erase("clients");
    in.settings = without_clients.dump();
  } else {
    in.settings = "{}";
  }
  if (!settings.is_object() || !settings.contains("clients") || !settings["clients"].is_array())
    return in;
  auto key = protocol_key_field(in.protocol);
  for (const auto& c : settings["clients"]) {
    if (!c.is_object())
      continue;
    panel_client_info info;
    info.email = str_of(c, "email");
    info.key = str_of(c, key.c_str());
    info.uuid = str_of(c, "id");
    info.sub_id = str_of(c, "subId");
    info.enable = bool_of(c, "enable", true);
    info.total_bytes = int_of(c, "totalGB");
    info.expiry_time = int_of(c, "expiryTime");
    if (auto t = stats.find(info.email); t != stats.end()) {
      info.up = int_of(*t->second, "up");
      info.down = int_of(*t->second, "down");
      info.last_online = int_of(*t->second, "lastOnline");
      info.enable = info.enable && bool_of(*t->second, "enable", true);
    }
    in.clients.push_back(std::move(info));
  }
  return in;
}

} // namespace

const char* to_string(api_generation g) {
  switch (g) {
  case api_generation::classic:
    return "classic";
  case api_generation::gen2:
    return "gen2";
  case api_generation::unknown:
    break;
  }
  return "unknown";
}

bool panel_client_info::active(int64_t now_ms) const noexcept {
  if (!enable)
    return false;
  if (expiry_time > 0 && expiry_time <= now_ms)
    return false;
  return total_bytes <= 0 || saturating_add(up, down) < total_bytes;
}

std::string protocol_key_field(const std::string& protocol) {
  if (protocol == "trojan")
    return "password";
  if (protocol == "shadowsocks")
    return "email";
  if (protocol == "hysteria" || protocol == "hysteria2")
    return "auth";
  return "id";
}

nlohmann::json client_json(const client_order& order, const std::string& protocol) {
  nlohmann::json out{{"email", order.email},
                     {"limitIp", order.limit_ip},
                     {"totalGB", order.total_bytes},
                     {"expiryTime", order.expiry_time_ms},
                     {"enable", order.enable},
                     {"tgId", 0},
                     {"subId", order.sub_id},
                     {"comment", ""},
                     {"reset", 0}};
  auto key = protocol_key_field(protocol);
  if (key == "id") {
    out["id"] = order.uuid;
    out["flow"] = order.flow;
  } else if (key != "email") {
    out[key] = order.uuid;
  }
  return out;
}

caf::expected<panel_status> parse_status(const nlohmann::json& obj) {
  if (!obj.is_object() || !obj.contains("xray") || !obj["xray"].is_object())
    return bad_shape("server status");
  panel_status s;
  const auto& xray = obj["xray"];
  s.xray_state = str_of(xray, "state");
  s.xray_error = str_of(xray, "errorMsg");
  s.xray_version = str_of(xray, "version");
  s.panel_version = str_of(obj, "panelVersion");
  s.generation = s.panel_version.empty() ? api_generation::classic : api_generation::gen2;
  if (auto i = obj.find("cpu"); i != obj.end() && i->is_number())
    s.cpu = i->get<double>();
  s.tcp_count = int_of(obj, "tcpCount");
  return s;
}

caf::expected<std::vector<panel_inbound>> parse_inbounds(const nlohmann::json& obj) {
  if (!obj.is_array())
    return bad_shape("inbound list");
  std::vector<panel_inbound> result;
  for (const auto& item : obj) {
    if (!item.is_object())
      return bad_shape("inbound list");
    result.push_back(read_inbound(item));
  }
  return result;
}

caf::expected<client_usage> parse_traffic(const nlohmann::json& obj) {
  if (obj.is_null())
    return make_error(ec::not_found, "the panel has no traffic record for this client");
  if (!obj.is_object())
    return bad_shape("client traffic");
  client_usage t;
  t.inbound_id = int_of(obj, "inboundId");
  t.enable = bool_of(obj, "enable", true);
  t.up = int_of(obj, "up");
  t.down = int_of(obj, "down");
  t.total_bytes = int_of(obj, "total");
  t.expiry_time_ms = int_of(obj, "expiryTime");
  t.last_online_ms = int_of(obj, "lastOnline");
  return t;
}

caf::expected<std::vector<std::string>> parse_emails(const nlohmann::json& obj) {
  std::vector<std::string> emails;
  if (obj.is_null())
    return emails;
  if (!obj.is_array())
    return bad_shape("list of online clients");
  for (const auto& e : obj)
    if (e.is_string())
      emails.push_back(e.get<std::string>());
  return emails;
}

} // namespace fleet
