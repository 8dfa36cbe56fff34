#include "tools/fake_xui/fake_panel.hpp"

#include "common/clock.hpp"
#include "common/random_ids.hpp"
#include "common/text.hpp"
#include "tools/fake_xui/json_fields.hpp"
#include "tools/fake_xui/sub_encoding.hpp"

#include <algorithm>
#include <chrono>
#include <unordered_map>
#include <unordered_set>

namespace fleet::fake {

const nlohmann::json& clients_in(const inbound& in) {
  static const nlohmann::json none = nlohmann::json::array();
  auto i = in.settings.find("clients");
  return i != in.settings.end() && i->is_array() ? *i : none;
}

nlohmann::json& clients_of(inbound& in) {
  auto& clients = in.settings["clients"];
  if (!clients.is_array())
    clients = nlohmann::json::array();
  return clients;
}

std::optional<api_profile> parse_profile(const std::string& name) {
  if (name == "classic")
    return api_profile::classic;
  if (name == "classic-csrf")
    return api_profile::classic_csrf;
  if (name == "gen2")
    return api_profile::gen2;
  return std::nullopt;
}

fake_panel::fake_panel(api_profile profile, uint64_t seed, const clock& wall)
    : profile_(profile), clock_(&wall), rng_(seed) {
  // nop
}

std::string fake_panel::new_uuid() {
  return random_uuid(rng_);
}

std::string fake_panel::random_text(size_t n) {
  return random_token(rng_, n);
}

void fake_panel::seed(const std::string& prefix) {
  auto make = [&](const char* remark, int64_t port, const char* protocol, nlohmann::json client) {
    inbound in;
    in.id = next_inbound_id_++;
    in.remark = remark;
    in.port = port;
    in.protocol = protocol;
    in.settings = {{"clients", nlohmann::json::array({client})},
                   {"decryption", "none"},
                   {"fallbacks", nlohmann::json::array()}};
    in.stream_settings = R"({"network": "tcp", "security": "none"})";
    in.sniffing = R"({"enabled": true, "destOverride": ["http", "tls"]})";
    inbounds_.push_back(in);
    add_traffic_row(inbounds_.back(), client);
  };
  auto vless = seed_client(prefix + "-seed-vless", random_text(16));
  vless["id"] = new_uuid();
  vless["flow"] = "";
  make("vless-main", 443, "vless", vless);
  auto trojan = seed_client(prefix + "-seed-trojan", random_text(16));
  trojan["password"] = random_text(16);
  make("trojan-main", 8443, "trojan", trojan);
}

nlohmann::json fake_panel::seed_client(const std::string& email, const std::string& sub_id) const {
  return {{"email", email},         {"limitIp", 0},          {"totalGB", 0},
          {"expiryTime", 0},        {"enable", true},        {"tgId", 0},
          {"subId", sub_id},        {"comment", "seed"},     {"reset", 0},
          {"created_at", now_ms()}, {"updated_at", now_ms()}};
}

const inbound* fake_panel::find_inbound(int64_t id) const {
  for (const auto& in : inbounds_)
    if (in.id == id)
      return &in;
  return nullptr;
}

inbound* fake_panel::find_inbound_mut(int64_t id) {
  return const_cast<inbound*>(std::as_const(*this).find_inbound(id));
}

std::string fake_panel::key_field(const inbound& in) const {
  if (in.protocol == "trojan")
    return "password";
  if (in.protocol == "shadowsocks")
    return "email";
  if (in.protocol == "hysteria" || in.protocol == "hysteria2")
    return "auth";
  return "id";
}

bool fake_panel::email_taken(const std::string& email, const std::string& except) const {
  auto wanted = ascii_lower(email);
  if (!except.empty() && wanted == ascii_lower(except))
    return false;
  for (const auto& in : inbounds_)
    for (const auto& c : clients_in(in))
      if (ascii_lower(string_or(c, "email")) == wanted)
        return true;
  return false;
}

void fake_panel::add_traffic_row(const inbound& in, const nlohmann::json& client) {
  auto email = string_or(client, "email");
  if (email.empty())
    return;
  client_traffic t;
  t.id = next_traffic_id_++;
  t.inbound_id = in.id;
  t.enable = bool_or(client, "enable", true);
  t.email = email;
  t.expiry_time = int_or(client, "expiryTime", 0);
  t.total = int_or(client, "totalGB", 0);
  t.reset = int_or(client, "reset", 0);
  traffic_[email] = t;
}

void fake_panel::erase_traffic(const std::string& email) {
  traffic_.erase(email);
}

ojson fake_panel::traffic_json(const client_traffic& t) const {
  for (const auto& in : inbounds_)
    for (const auto& c : clients_in(in))
      if (string_or(c, "email") == t.email)
        return traffic_json(t, &c);
  return traffic_json(t, nullptr);
}

ojson fake_panel::traffic_json(const client_traffic& t, const nlohmann::json* client) const {
  auto uuid = client != nullptr ? string_or(*client, "id") : std::string{};
  auto sub_id = client != nullptr ? string_or(*client, "subId") : std::string{};
  ojson out{{"id", t.id},   {"inboundId", t.inbound_id}, {"enable", t.enable}, {"email", t.email},
            {"uuid", uuid}, {"subId", sub_id},           {"up", t.up},         {"down", t.down}};
  if (profile_ != api_profile::gen2)
    out["allTime"] = t.up + t.down;
  out["expiryTime"] = t.expiry_time;
  out["total"] = t.total;
  out["reset"] = t.reset;
  out["lastOnline"] = t.last_online;
  return out;
}

ojson fake_panel::inbound_json(const inbound& in, bool with_stats) const {
  ojson stats = nullptr;
  if (with_stats) {
    stats = ojson::array();
    std::unordered_map<std::string, const nlohmann::json*> by_email;
    for (const auto& c : clients_in(in))
      by_email.emplace(string_or(c, "email"), &c);
    for (const auto& [email, t] : traffic_)
      if (t.inbound_id == in.id) {
        auto c = by_email.find(email);
        stats.push_back(traffic_json(t, c != by_email.end() ? c->second : nullptr));
      }
  }
  auto gen2 = profile_ == api_profile::gen2;
  auto as_field = [&](const std::string& text) -> ojson {
    if (!gen2)
      return text;
    return ojson::parse(text, nullptr, false);
  };
  ojson out{{"id", in.id}, {"up", in.up}, {"down", in.down}, {"total", in.total}};
  if (!gen2)
    out["allTime"] = in.up + in.down;
  out["remark"] = in.remark;
  out["enable"] = in.enable;
  out["expiryTime"] = in.expiry_time;
  out["trafficReset"] = "never";
  out["lastTrafficResetTime"] = 0;
  out["clientStats"] = stats;
  out["listen"] = in.listen;
  out["port"] = in.port;
  out["protocol"] = in.protocol;
  out["settings"] = gen2 ? ojson::parse(in.settings.dump()) : ojson(in.settings.dump(2));
  out["streamSettings"] = as_field(in.stream_settings);
  auto network = string_or(nlohmann::json::parse(in.stream_settings, nullptr, false), "network");
  out["tag"] = gen2 ? "in-" + std::to_string(in.port) + "-" + (network.empty() ? "tcp" : network)
                    : "inbound-" + std::to_string(in.port);
  out["sniffing"] = as_field(in.sniffing);
  return out;
}

std::string fake_panel::add_clients(int64_t inbound_id, nlohmann::json clients) {
  client_write write;
  auto error = read_add_clients(inbound_id, std::move(clients), write);
  if (error.empty())
    write_clients(write);
  return error;
}

std::string fake_panel::read_add_clients(int64_t inbound_id, nlohmann::json clients,
                                         client_write& out, bool snapshot) const {
  auto now = now_ms();
  std::unordered_set<std::string> taken;
  for (const auto& in : inbounds_)
    for (const auto& c : clients_in(in))
      taken.insert(ascii_lower(string_or(c, "email")));
  for (auto& c : clients) {
    if (!c.contains("created_at"))
      c["created_at"] = now;
    c["updated_at"] = now;
    auto email = string_or(c, "email");
    if (email.empty())
      continue;
    if (!taken.insert(ascii_lower(email)).second)
      return "Duplicate email: " + email + "\n";
  }
  const auto* in = find_inbound(inbound_id);
  if (in == nullptr)
    return "record not found";
  auto key = key_field(*in);
  for (const auto& c : clients) {
    if (string_or(c, key.c_str()).empty())
      return "empty client ID\n";
    if (profile_ == api_profile::classic_csrf && string_or(c, "email").empty())
      return "client email is required\n";
  }
  out.inbound_id = inbound_id;
  out.added = std::move(clients);
  if (snapshot)
    out.read = clients_in(*in);
  return {};
}

void fake_panel::write_clients(const client_write& write) {
  auto* in = find_inbound_mut(write.inbound_id);
  if (in == nullptr)
    return;
  auto& clients = clients_of(*in);
  if (write.read)
    clients = *write.read;
  for (const auto& c : write.added) {
    clients.push_back(c);
    add_traffic_row(*in, c);
  }
}

std::string fake_panel::update_client(int64_t inbound_id, const std::string& client_id,
                                      nlohmann::json client) {
  auto* in = find_inbound_mut(inbound_id);
  if (in == nullptr)
    return "record not found";
  auto key = key_field(*in);
  auto& clients = clients_of(*in);
  auto it = std::find_if(clients.begin(), clients.end(), [&](const nlohmann::json& c) {
    return string_or(c, key.c_str()) == client_id;
  });
  if (it == clients.end() || string_or(client, key.c_str()).empty())
    return "empty client ID\n";
  auto old_email = string_or(*it, "email");
  auto new_email = string_or(client, "email");
  if (ascii_lower(new_email) != ascii_lower(old_email) && email_taken(new_email))
    return "Duplicate email: " + new_email + "\n";
  client["created_at"] = it->value("created_at", now_ms());
  client["updated_at"] = now_ms();
  *it = client;
  client_traffic kept;
  if (auto t = traffic_.find(old_email); t != traffic_.end()) {
    kept = t->second;
    traffic_.erase(t);
  }
  if (!new_email.empty()) {
    add_traffic_row(*in, client);
    auto& t = traffic_[new_email];
    t.up = kept.up;
    t.down = kept.down;
    t.last_online = kept.last_online;
    if (kept.id != 0)
      t.id = kept.id;
  }
  return {};
}

std::string fake_panel::delete_client(int64_t inbound_id, const std::string& key, bool by_email) {
  auto* in = find_inbound_mut(inbound_id);
  if (in == nullptr)
    return "record not found";
  auto field = by_email ? std::string{"email"} : key_field(*in);
  auto& clients = clients_of(*in);
  auto it = std::find_if(clients.begin(), clients.end(), [&](const nlohmann::json& c) {
    return string_or(c, field.c_str()) == key;
  });
  if (it == clients.end())
    return by_email ? "client with email " + key + " not found\n"
                    : "Client Not Found In Inbound For ID: " + key + "\n";
  if (clients.size() == 1)
    return "no client remained in Inbound\n";
  erase_traffic(string_or(*it, "email"));
  clients.erase(it);
  return {};
}

std::string fake_panel::add_client_gen2(nlohmann::json client,
                                        const std::vector<int64_t>& inbound_ids) {
  auto email = string_or(client, "email");
  if (email.empty())
    return "client email is required\n";
  for (auto ch : email)
    if (ch == '/' || ch == '\\' || static_cast<unsigned char>(ch) <= ' ')
      return std::string{"client email contains an invalid character: "} + ch + "\n";
  if (inbound_ids.empty())
    return "at least one inbound is required\n";
  client["enable"] = true;
  if (string_or(client, "subId").empty())
    client["subId"] = new_uuid();
  for (const auto& in : inbounds_)
    for (const auto& c : clients_in(in))
      if (ascii_lower(string_or(c, "email")) == ascii_lower(email)) {
        if (string_or(c, "subId") != string_or(client, "subId"))
          return "email already in use: " + email + "\n";
        client = c; // same identity: attach with the stored credentials
      }
  for (auto id : inbound_ids) {
    auto* in = find_inbound_mut(id);
    if (in == nullptr)
      return "record not found";
    auto key = key_field(*in);
    if (string_or(client, key.c_str()).empty())
      client[key] = key == "id" ? new_uuid() : random_text(32);
    if (in->protocol == "shadowsocks" && string_or(client, "password").empty()) {
      // A shadowsocks client is keyed by email; its password is a key of the method's size.
      auto method = string_or(in->settings, "method");
      auto size = method.rfind("2022-blake3-aes-128", 0) == 0 ? 16 : 32;
      client["password"] = method.rfind("2022", 0) == 0
                               ? base64_std(random_bytes(rng_, static_cast<size_t>(size)))
                               : random_text(16);
    }
    auto& clients = clients_of(*in);
    auto present = std::any_of(clients.begin(), clients.end(), [&](const nlohmann::json& c) {
      return ascii_lower(string_or(c, "email")) == ascii_lower(email);
    });
    if (present)
      continue;
    auto now = now_ms();
    client["created_at"] = client.value("created_at", now);
    client["updated_at"] = now;
    clients.push_back(client);
    if (traffic_.count(email) == 0)
      add_traffic_row(*in, client);
  }
  return {};
}

std::string fake_panel::update_client_gen2(const std::string& email, nlohmann::json client) {
  auto new_email = string_or(client, "email");
  if (new_email.empty())
    new_email = email;
  bool found = false;
  if (ascii_lower(new_email) != ascii_lower(email) && email_taken(new_email))
    return "Duplicate email: " + new_email + "\n";
  for (auto& in : inbounds_)
    for (auto& c : clients_of(in))
      if (string_or(c, "email") == email) {
        auto replacement = client;
        replacement["email"] = new_email;
        for (const auto* kept : {"id", "password", "auth", "subId"})
          if (string_or(replacement, kept).empty() && c.contains(kept))
            replacement[kept] = c[kept];
        replacement["created_at"] = c.value("created_at", now_ms());
        replacement["updated_at"] = now_ms();
        c = replacement;
        found = true;
      }
  if (!found)
    return "record not found";
  if (auto t = traffic_.find(email); t != traffic_.end()) {
    auto row = t->second;
    traffic_.erase(t);
    row.email = new_email;
    row.enable = bool_or(client, "enable", row.enable);
    row.total = int_or(client, "totalGB", 0);
    row.expiry_time = int_or(client, "expiryTime", 0);
    row.reset = int_or(client, "reset", 0);
    traffic_[new_email] = row;
  }
  return {};
}

std::string fake_panel::delete_client_gen2(const std::string& email) {
  bool found = false;
  for (auto& in : inbounds_) {
    auto& clients = clients_of(in);
    auto before = clients.size();
    clients.erase(
        std::remove_if(clients.begin(), clients.end(),
                       [&](const nlohmann::json& c) { return string_or(c, "email") == email; }),
        clients.end());
    found = found || clients.size() != before;
  }
  if (!found)
    return "client \"" + email + "\" not found in any inbound or client record\n";
  erase_traffic(email);
  return {};
}

ojson fake_panel::client_record_gen2(const std::string& email) const {
  ojson record = nullptr;
  auto ids = ojson::array();
  for (const auto& in : inbounds_)
    for (const auto& c : clients_in(in))
      if (string_or(c, "email") == email) {
        record = ojson::parse(c.dump());
        ids.push_back(in.id);
      }
  if (record.is_null())
    return nullptr;
  const auto* t = find_traffic(email);
  return {{"client", record},
          {"inboundIds", ids},
          {"externalLinks", ojson::array()},
          {"usedTraffic", t != nullptr ? t->up + t->down : 0}};
}

ojson fake_panel::client_list_gen2() const {
  auto out = ojson::array();
  std::vector<std::string> emails;
  for (const auto& in : inbounds_)
    for (const auto& c : clients_in(in)) {
      auto email = string_or(c, "email");
      if (std::find(emails.begin(), emails.end(), email) != emails.end())
        continue;
      emails.push_back(email);
      auto rec = client_record_gen2(email);
      auto item = rec["client"];
      item["inboundIds"] = rec["inboundIds"];
      const auto* t = find_traffic(email);
      item["traffic"] = t != nullptr ? traffic_json(*t) : ojson(nullptr);
      out.push_back(item);
    }
  return out;
}

const client_traffic* fake_panel::find_traffic(const std::string& email) const {
  auto i = traffic_.find(email);
  return i == traffic_.end() ? nullptr : &i->second;
}

std::vector<const client_traffic*> fake_panel::traffic_by_uuid(const std::string& uuid) const {
  std::vector<const client_traffic*> out;
  for (const auto& in : inbounds_)
    for (const auto& c : clients_in(in))
      if (string_or(c, "id") == uuid)
        if (const auto* t = find_traffic(string_or(c, "email")))
          out.push_back(t);
  return out;
}

std::string fake_panel::reset_traffic(const std::string& email) {
  auto i = traffic_.find(email);
  if (i == traffic_.end())
    return "Inbound Not Found For Email: " + email + "\n";
  i->second.up = 0;
  i->second.down = 0;
  i->second.enable = true;
  return {};
}

void fake_panel::set_online(std::vector<std::string> emails) {
  auto now = now_ms();
  for (const auto& e : emails)
    if (auto i = traffic_.find(e); i != traffic_.end())
      i->second.last_online = now;
  online_ = std::move(emails);
}

ojson fake_panel::last_online_json() const {
  ojson out = ojson::object();
  for (const auto& [email, t] : traffic_)
    out[email] = t.last_online;
  return out;
}

void fake_panel::wipe() {
  for (auto& in : inbounds_)
    clients_of(in) = nlohmann::json::array();
  traffic_.clear();
}

size_t fake_panel::client_count() const {
  size_t n = 0;
  for (const auto& in : inbounds_)
    n += clients_in(in).size();
  return n;
}

} // namespace fleet::fake
