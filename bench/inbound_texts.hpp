#pragma once

// The answer a classic 3X-UI panel (v1.5 … v3.0.2, what most panels run) gives to
// `inbounds/list`, as the text that comes over the wire: one vless REALITY inbound whose
// `settings` (a pretty-printed JSON string, as classic panels send it) hold every client, and
// `clientStats` with each client's counters. The shape is fake-xui's (tools/fake_xui,
// `fake_panel::inbound_json`); the clients are what `client_json` makes of an order, as the
// coordinator places them.

#include "common/panel/xui_api.hpp"
#include "coordinator/ledger/traffic_ledger.hpp"

#include <nlohmann/json.hpp>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace fleet::bench {

/// A well-mixed 64-bit hash (splitmix64): the bench's only source of variety, so that every
/// run injects the same bytes.
[[nodiscard]] constexpr uint64_t mix(uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// The email of client `i` of panel `panel` (at most 99,999 panels): users numbered as a bot
/// numbers them, each panel holding every so-many-th ("u12300017": client 123 of panel 17),
/// so that one panel's clients are spread over the store's keys as real emails are.
[[nodiscard]] inline std::string email_of(int panel, int i) {
  return "u" + std::to_string(int64_t{i} * 100'000 + panel);
}

/// One panel's clients as the panel holds them: the limits every copy carries and each
/// client's counters (`counters[i]` is client `i`).
struct panel_contents {
  int panel = 1;
  int64_t total_bytes = 0;
  int64_t expiry_time_ms = 0;
  int64_t created_at_ms = 0;
  const std::vector<byte_counts>* counters = nullptr;
};

/// The body of the panel's answer: `{"success":true,"msg":"","obj":[inbound]}`.
[[nodiscard]] inline std::string inbound_list_text(const panel_contents& p) {
  using ojson = nlohmann::ordered_json;
  const auto& counters = *p.counters;
  auto clients = nlohmann::json::array();
  auto stats = ojson::array();
  int64_t up = 0;
  int64_t down = 0;
  for (size_t i = 0; i < counters.size(); ++i) {
    auto h = mix((static_cast<uint64_t>(p.panel) << 32) | i);
    char uuid[40];
    std::snprintf(uuid, sizeof(uuid),
                  "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-8%03" PRIx64 "-%012" PRIx64, h >> 32,
                  (h >> 16) & 0xffff, (h >> 4) & 0xfff, mix(h) & 0xfff,
                  mix(h + 1) & uint64_t{0xffffffffffff});
    char sub_id[20];
    std::snprintf(sub_id, sizeof(sub_id), "%016" PRIx64, mix(h + 2));
    client_order order{email_of(p.panel, static_cast<int>(i)),
                       uuid,
                       sub_id,
                       p.total_bytes,
                       p.expiry_time_ms,
                       true,
                       "xtls-rprx-vision"};
    auto c = client_json(order, "vless");
    c["created_at"] = p.created_at_ms;
    c["updated_at"] = p.created_at_ms;
    clients.push_back(std::move(c));
    const auto& n = counters[i];
    stats.push_back(ojson{{"id", static_cast<int64_t>(i) + 1},
                          {"inboundId", 1},
                          {"enable", true},
                          {"email", order.email},
                          {"uuid", order.uuid},
                          {"subId", order.sub_id},
                          {"up", n.up},
                          {"down", n.down},
                          {"allTime", n.up + n.down},
                          {"expiryTime", p.expiry_time_ms},
                          {"total", p.total_bytes},
                          {"reset", 0},
                          {"lastOnline", p.created_at_ms}});
    up += n.up;
    down += n.down;
  }
  nlohmann::json settings{{"clients", std::move(clients)},
                          {"decryption", "none"},
                          {"fallbacks", nlohmann::json::array()}};
  nlohmann::json stream{
      {"network", "tcp"},
      {"security", "reality"},
      {"externalProxy", nlohmann::json::array()},
      {"realitySettings",
       {{"show", false},
        {"xver", 0},
        {"dest", "www.microsoft.com:443"},
        {"serverNames", {"www.microsoft.com", "microsoft.com"}},
        {"privateKey", "yBmD0ZVuQbDK1gsCjNXF8SSyrN9x4BpxBWbZdEvRmXk"},
        {"shortIds", {"6ba85179e30d4fc2", "d8a1", "4e5c", "9a1e03"}},
        {"settings",
         {{"publicKey", "ZLLs0KBqcgOhxvvtUefNHpkHmqwUjhNn7IhV6Xc4vCA"},
          {"fingerprint", "chrome"},
          {"serverName", ""},
          {"spiderX", "/"}}}}},
      {"tcpSettings", {{"acceptProxyProtocol", false}, {"header", {{"type", "none"}}}}}};
  ojson inbound{{"id", 1},
                {"up", up},
                {"down", down},
                {"total", 0},
                {"allTime", up + down},
                {"remark", "vless-reality"},
                {"enable", true},
                {"expiryTime", 0},
                {"trafficReset", "never"},
                {"lastTrafficResetTime", 0},
                {"clientStats", std::move(stats)},
                {"listen", ""},
                {"port", 443},
                {"protocol", "vless"},
                {"settings", settings.dump(2)},
                {"streamSettings", stream.dump(2)},
                {"tag", "inbound-443"},
                {"sniffing", R"({"enabled": true, "destOverride": ["http", "tls", "quic"]})"}};
  ojson envelope{{"success", true}, {"msg", ""}, {"obj", ojson::array({std::move(inbound)})}};
  return envelope.dump();
}

} // namespace fleet::bench
