#include "common/panel/inbound_list.hpp"

#include "common/panel/json_cursor.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>

namespace fleet {

namespace {

using kind = json_cursor::kind;

// Field readers with the meaning xui_api.cpp's `int_of`, `str_of` and `bool_of` give a
// field: a value of another kind reads as the default. Each occurrence of a key assigns, so
// that a repeated key ends with its last value, as in a JSON tree.

/// An integer: 0 for another kind of value or an integer outside int64; a float (which
/// `int_of` truncates) is left undecided.
bool integer(json_cursor& in, int64_t& out) {
  if (in.peek() != kind::number) {
    out = 0;
    return in.skip();
  }
  std::string_view token;
  if (!in.number(token))
    return false;
  bool negative = token.front() == '-';
  constexpr auto limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  uint64_t x = 0;
  bool fits = true;
  for (auto c : token.substr(negative ? 1 : 0)) {
    if (c < '0' || c > '9')
      return in.fail();
    auto d = static_cast<uint64_t>(c - '0');
    fits = fits && x <= (limit + 1 - d) / 10;
    x = fits ? x * 10 + d : 0;
  }
  if (!fits || x > limit + (negative ? 1 : 0))
    out = 0;
  else
    out = negative ? static_cast<int64_t>(0 - x) : static_cast<int64_t>(x);
  return true;
}

bool text(json_cursor& in, std::string& out) {
  if (in.peek() == kind::string)
    return in.string(out);
  out.clear();
  return in.skip();
}

bool flag(json_cursor& in, bool& out, bool fallback) {
  if (in.peek() == kind::boolean)
    return in.boolean(out);
  out = fallback;
  return in.skip();
}

/// One client of an inbound's settings, with the keys other protocols use.
struct settings_client {
  panel_client_info info;
  std::string password;
  std::string auth;
};

bool read_client(json_cursor& in, settings_client& c) {
  auto& i = c.info;
  return in.object([&](std::string_view k) {
    if (k == "email")
      return text(in, i.email);
    if (k == "id")
      return text(in, i.uuid);
    if (k == "password")
      return text(in, c.password);
    if (k == "auth")
      return text(in, c.auth);
    if (k == "subId")
      return text(in, i.sub_id);
    if (k == "enable")
      return flag(in, i.enable, true);
    if (k == "totalGB")
      return integer(in, i.total_bytes);
    if (k == "expiryTime")
      return integer(in, i.expiry_time);
    return in.skip();
  });
}

/// An inbound's settings: the clients, and every other member as text.
struct settings_read {
  bool object = false;
  std::vector<settings_client> clients;
  std::vector<std::pair<std::string, std::string_view>> others;
};

bool read_settings(json_cursor& in, settings_read& s) {
  s = settings_read{};
  if (in.peek() != kind::object)
    return in.skip();
  s.object = true;
  return in.object([&](std::string_view k) {
    if (k != "clients") {
      std::string_view value;
      if (!in.skip(value))
        return false;
      s.others.emplace_back(std::string{k}, value);
      return true;
    }
    s.clients.clear();
    if (in.peek() != kind::array)
      return in.skip();
    return in.array([&] {
      if (in.peek() != kind::object)
        return in.skip();
      settings_client c;
      if (!read_client(in, c))
        return false;
      s.clients.push_back(std::move(c));
      return true;
    });
  });
}

/// The settings without `clients`, as `nlohmann::json::dump` writes them.
std::optional<std::string> settings_text(const settings_read& s) {
  if (!s.object)
    return "{}";
  auto out = nlohmann::json::object();
  for (const auto& [k, value] : s.others) {
    auto v = nlohmann::json::parse(value, nullptr, false);
    if (v.is_discarded())
      return std::nullopt;
    out[k] = std::move(v);
  }
  return out.dump();
}

/// A member classic panels send as JSON text and gen2 panels as an object, as text ("{}"
/// for anything but an object).
bool object_text(json_cursor& in, std::string& out) {
  nlohmann::json value;
  if (in.peek() == kind::string) {
    std::string s;
    if (!in.string(s))
      return false;
    value = nlohmann::json::parse(s, nullptr, false);
  } else if (in.peek() == kind::object) {
    std::string_view s;
    if (!in.skip(s))
      return false;
    value = nlohmann::json::parse(s, nullptr, false);
  } else if (!in.skip()) {
    return false;
  }
  out = value.is_object() ? value.dump() : "{}";
  return true;
}

/// One element of `clientStats`.
struct client_stat {
  std::string email;
  int64_t up = 0;
  int64_t down = 0;
  int64_t last_online = 0;
  bool enable = true;
};

bool read_stats(json_cursor& in, std::vector<client_stat>& out) {
  out.clear();
  if (in.peek() != kind::array)
    return in.skip();
  return in.array([&] {
    if (in.peek() != kind::object)
      return in.skip();
    auto& t = out.emplace_back();
    return in.object([&](std::string_view k) {
      if (k == "email")
        return text(in, t.email);
      if (k == "up")
        return integer(in, t.up);
      if (k == "down")
        return integer(in, t.down);
      if (k == "lastOnline")
        return integer(in, t.last_online);
      if (k == "enable")
        return flag(in, t.enable, true);
      return in.skip();
    });
  });
}

/// Joins clients and their traffic as `read_inbound` (xui_api.cpp) does.
void join(panel_inbound& in, std::vector<settings_client>& clients,
          const std::vector<client_stat>& stats) {
  std::unordered_map<std::string_view, const client_stat*> by_email;
  by_email.reserve(stats.size());
  for (const auto& t : stats)
    by_email[t.email] = &t;
  auto key = protocol_key_field(in.protocol);
  in.clients.reserve(clients.size());
  for (auto& c : clients) {
    auto& info = c.info;
    info.key = key == "id"         ? info.uuid
               : key == "password" ? c.password
               : key == "email"    ? info.email
                                   : c.auth;
    if (auto t = by_email.find(info.email); t != by_email.end()) {
      info.up = t->second->up;
      info.down = t->second->down;
      info.last_online = t->second->last_online;
      info.enable = info.enable && t->second->enable;
    }
    in.clients.push_back(std::move(info));
  }
}

bool read_inbound(json_cursor& in, panel_inbound& out) {
  out.stream_settings = "{}";
  std::vector<client_stat> stats;
  // Classic panels send the settings as JSON text: it is read from its unescaped copy.
  std::string settings_copy;
  settings_read settings;
  auto read = in.object([&](std::string_view k) {
    if (k == "id")
      return integer(in, out.id);
    if (k == "remark")
      return text(in, out.remark);
    if (k == "protocol")
      return text(in, out.protocol);
    if (k == "port")
      return integer(in, out.port);
    if (k == "enable")
      return flag(in, out.enable, true);
    if (k == "up")
      return integer(in, out.up);
    if (k == "down")
      return integer(in, out.down);
    if (k == "listen")
      return text(in, out.listen);
    if (k == "streamSettings")
      return object_text(in, out.stream_settings);
    if (k == "clientStats")
      return read_stats(in, stats);
    if (k != "settings")
      return in.skip();
    if (in.peek() != kind::string)
      return read_settings(in, settings);
    if (!in.string(settings_copy))
      return false;
    // Text that is not one JSON object (nlohmann makes it "{}" without clients) is rare
    // enough to leave to the general path.
    json_cursor inner{settings_copy};
    return read_settings(inner, settings) && inner.at_end();
  });
  auto text = read ? settings_text(settings) : std::nullopt;
  if (!text)
    return in.fail();
  out.settings = std::move(*text);
  join(out, settings.clients, stats);
  return true;
}

} // namespace

std::optional<std::vector<panel_inbound>> read_inbound_list(std::string_view body) {
  json_cursor in{body};
  bool success = false;
  bool has_list = false;
  std::vector<panel_inbound> list;
  auto read = in.object([&](std::string_view k) {
    if (k == "success")
      return in.boolean(success);
    if (k != "obj")
      return in.skip();
    if (has_list)
      return false;
    has_list = true;
    return in.array([&] { return read_inbound(in, list.emplace_back()); });
  });
  if (!read || !in.at_end() || !success || !has_list)
    return std::nullopt;
  return list;
}

} // namespace fleet
