#include "common/panel/xui_api.hpp"

#include <cstdio>
#include <map>

namespace fleet {

namespace {

int64_t int_of(const nlohmann::json& o, const char* key) {
  auto i = o.find(key);
  return i != o.end() && i->is_number() ? i->get<int64_t>() : 0;
}

std::string str_of(const nlohmann::json& o, const char* key) {
  auto i = o.find(key);
  return i != o.end() && i->is_string() ? i->get<std::string>() : std::string{};
}

caf::error bad_shape(const std::string& what) {
  return make_error(ec::panel_bad_response, "the panel's " + what + " has an unexpected shape");
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
  return total_bytes <= 0 || up + down < total_bytes;
}

std::string panel_base_url(const server_config& s) {
  return std::string{to_string(s.scheme)} + "://" + s.host + ":" + std::to_string(s.port)
         + s.base_path;
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

nlohmann::json client_json(const new_client& c, const std::string& protocol) {
  nlohmann::json out{{"email", c.email},
                     {"limitIp", c.limit_ip},
                     {"totalGB", c.total_bytes},
                     {"expiryTime", c.expiry_time},
                     {"enable", c.enable},
                     {"tgId", 0},
                     {"subId", c.sub_id},
                     {"comment", c.comment},
                     {"reset", 0}};
  auto key = protocol_key_field(protocol);
  if (key == "id") {
    out["id"] = c.uuid;
    out["flow"] = "";
  } else if (key == "password") {
    out["password"] = c.password.empty() ? c.uuid : c.password;
  } else if (key == "auth") {
    out["auth"] = c.password.empty() ? c.uuid : c.password;
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
    panel_inbound in;
    in.id = int_of(item, "id");
    in.remark = str_of(item, "remark");
    in.protocol = str_of(item, "protocol");
    in.port = int_of(item, "port");
    in.enable = item.value("enable", true);
    in.up = int_of(item, "up");
    in.down = int_of(item, "down");
    // Classic panels send settings as a JSON string, gen2 panels as an object.
    nlohmann::json settings = item.value("settings", nlohmann::json{});
    if (settings.is_string())
      settings = nlohmann::json::parse(settings.get<std::string>(), nullptr, false);
    std::map<std::string, const nlohmann::json*> stats;
    if (auto s = item.find("clientStats"); s != item.end() && s->is_array())
      for (const auto& t : *s)
        stats[str_of(t, "email")] = &t;
    auto key = protocol_key_field(in.protocol);
    if (settings.is_object() && settings.contains("clients") && settings["clients"].is_array())
      for (const auto& c : settings["clients"]) {
        panel_client_info info;
        info.email = str_of(c, "email");
        info.key = str_of(c, key.c_str());
        info.uuid = str_of(c, "id");
        info.sub_id = str_of(c, "subId");
        info.enable = c.value("enable", true);
        info.total_bytes = int_of(c, "totalGB");
        info.expiry_time = int_of(c, "expiryTime");
        if (auto t = stats.find(info.email); t != stats.end()) {
          info.up = int_of(*t->second, "up");
          info.down = int_of(*t->second, "down");
          info.last_online = int_of(*t->second, "lastOnline");
          info.enable = info.enable && t->second->value("enable", true);
        }
        in.clients.push_back(std::move(info));
      }
    result.push_back(std::move(in));
  }
  return result;
}

caf::expected<client_traffic_info> parse_traffic(const nlohmann::json& obj) {
  if (obj.is_null())
    return make_error(ec::not_found, "the panel has no traffic record for this client");
  if (!obj.is_object())
    return bad_shape("client traffic");
  client_traffic_info t;
  t.email = str_of(obj, "email");
  t.inbound_id = int_of(obj, "inboundId");
  t.enable = obj.value("enable", true);
  t.up = int_of(obj, "up");
  t.down = int_of(obj, "down");
  t.total_bytes = int_of(obj, "total");
  t.expiry_time = int_of(obj, "expiryTime");
  t.last_online = int_of(obj, "lastOnline");
  return t;
}

std::string url_encode(const std::string& text) {
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

} // namespace fleet
