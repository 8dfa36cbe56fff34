// The sing-box form, checked by reading the JSON back.

#include "coordinator/subscription/subscription.hpp"
#include "tests/coordinator/subscription/inbound_fixtures.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>

using namespace fleet;
using namespace fleet::test;
using nlohmann::json;

namespace {

json singbox_of(const loaded_profile& p) {
  auto r = render_subscription(subscription_format::singbox, p.user, entries_at(p));
  CHECK(r.left_out.empty());
  return json::parse(r.body);
}

const json& outbound_tagged(const json& doc, const std::string& tag) {
  for (const auto& x : doc.at("outbounds"))
    if (x.at("tag") == tag)
      return x;
  FAIL("no outbound tagged " << tag);
  static const json none;
  return none;
}

} // namespace

TEST_CASE("subscription sing-box: the doc's VLESS REALITY outbound", "[unit][subscription]") {
  auto doc = singbox_of(load_profile("vless_reality_vision"));
  CHECK(outbound_tagged(doc, "vless-reality-alice")
        == json::parse(R"({"type": "vless", "tag": "vless-reality-alice",
          "server": "de1.example.net", "server_port": 443,
          "uuid": "b831381d-6324-4d53-ad4f-8cda48b30811", "flow": "xtls-rprx-vision",
          "tls": {"enabled": true, "server_name": "www.microsoft.com",
                  "utls": {"enabled": true, "fingerprint": "chrome"},
                  "reality": {"enabled": true,
                              "public_key": "Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw",
                              "short_id": "6ba85179e30d4fc2"}}})"));
}

TEST_CASE("subscription sing-box: the doc's VMess ws outbound asks for http/1.1",
          "[unit][subscription]") {
  auto doc = singbox_of(load_profile("vmess_ws_tls"));
  CHECK(outbound_tagged(doc, "vmess-ws-bob")
        == json::parse(R"({"type": "vmess", "tag": "vmess-ws-bob", "server": "de1.example.net",
          "server_port": 8443, "uuid": "4f2c8a1e-9b7d-4c3e-8a55-2d1f0e6b7c90",
          "security": "auto", "alter_id": 0,
          "tls": {"enabled": true, "server_name": "cdn.example.net", "alpn": ["http/1.1"],
                  "utls": {"enabled": true, "fingerprint": "chrome"}},
          "transport": {"type": "ws", "path": "/vm", "headers": {"Host": "cdn.example.net"}}})"));
}

TEST_CASE("subscription sing-box: the doc's Trojan gRPC and Shadowsocks 2022 outbounds",
          "[unit][subscription]") {
  auto trojan = singbox_of(load_profile("trojan_grpc_tls"));
  CHECK(outbound_tagged(trojan, "trojan-grpc-carol")
        == json::parse(R"({"type": "trojan", "tag": "trojan-grpc-carol",
          "server": "de1.example.net", "server_port": 2083, "password": "Xq7p/Lw2+sVb9=",
          "tls": {"enabled": true, "server_name": "tj.example.net",
                  "utls": {"enabled": true, "fingerprint": "firefox"}},
          "transport": {"type": "grpc", "service_name": "tj-grpc"}})"));
  auto ss = singbox_of(load_profile("ss2022_multi_user"));
  CHECK(outbound_tagged(ss, "ss2022-dave")
        == json::parse(R"({"type": "shadowsocks", "tag": "ss2022-dave",
          "server": "de1.example.net", "server_port": 8388, "method": "2022-blake3-aes-128-gcm",
          "password": "MTIzNDU2Nzg5MGFiY2RlZg==:YWJjZGVmMDEyMzQ1Njc4OQ=="})"));
}

TEST_CASE("subscription sing-box: the config around the outbounds", "[unit][subscription]") {
  auto p = load_profile("vless_reality_vision");
  auto q = load_profile("vless_ws_tls");
  std::vector<subscription_entry> entries{{&p.profile, "2001:db8::10", "auto", 0, nullptr},
                                          {&q.profile, "de1.example.net", "auto", 0, nullptr}};
  auto r = render_subscription(subscription_format::singbox, p.user, entries);
  CHECK(r.content_type == "application/json; charset=utf-8");
  CHECK(r.filename == "subscription.json");
  auto doc = json::parse(r.body);
  const auto& outbounds = doc.at("outbounds");
  REQUIRE(outbounds.size() == 5);
  CHECK(outbounds[0] == json::parse(R"({"type": "selector", "tag": "proxy",
    "outbounds": ["auto", "auto-2", "auto-3"], "default": "auto"})"));
  CHECK(outbounds[1] == json::parse(R"({"type": "urltest", "tag": "auto",
    "outbounds": ["auto-2", "auto-3"]})"));
  CHECK(outbounds[2].at("server") == "2001:db8::10");
  CHECK(outbounds[4] == json::parse(R"({"type": "direct", "tag": "direct"})"));
  std::set<std::string> tags;
  for (const auto& x : outbounds)
    CHECK(tags.insert(x.at("tag").get<std::string>()).second);
  CHECK(doc.at("inbounds").at(0).at("type") == "tun");
  CHECK(doc.at("route").at("final") == "proxy");
  CHECK(doc.at("route").at("rules").at(0) == json::parse(R"({"action": "sniff"})"));
  CHECK(doc.at("route").at("rules").at(1)
        == json::parse(R"({"protocol": "dns", "action": "hijack-dns"})"));
  // Early data in the ws path becomes sing-box's own fields.
  CHECK(outbounds[3].at("transport")
        == json::parse(R"({"type": "ws", "path": "/ws", "headers": {"Host": "ws.example.net"},
          "max_early_data": 2048, "early_data_header_name": "Sec-WebSocket-Protocol"})"));
}

TEST_CASE("subscription sing-box: what it cannot express is left out with a reason",
          "[unit][subscription]") {
  std::vector<loaded_profile> profiles;
  for (const char* name :
       {"vless_xhttp_tls", "vless_kcp", "vmess_tcp_http", "vless_httpupgrade", "ss_aes256gcm"})
    profiles.push_back(load_profile(name));
  std::vector<subscription_entry> entries;
  for (const auto& p : profiles)
    entries.push_back(entries_at(p).front());
  auto r = render_subscription(subscription_format::singbox, profiles[4].user, entries);
  REQUIRE(r.left_out.size() == 2);
  CHECK(r.left_out[0].index == 0);
  CHECK(r.left_out[1].index == 1);
  auto doc = json::parse(r.body);
  CHECK(outbound_tagged(doc, "vmess-http-judy").at("transport")
        == json::parse(R"({"type": "http", "host": ["response.example.net"], "path": "/news"})"));
  CHECK(outbound_tagged(doc, "vless-hu-niaj").at("transport")
        == json::parse(R"({"type": "httpupgrade", "host": "hu.example.net", "path": "/up"})"));
  CHECK_FALSE(outbound_tagged(doc, "vless-hu-niaj").contains("tls"));
  CHECK(outbound_tagged(doc, "ss-erin")
        == json::parse(R"({"type": "shadowsocks", "tag": "ss-erin", "server": "de1.example.net",
          "server_port": 8388, "method": "aes-256-gcm", "password": "s3cret-Pa55"})"));
}

TEST_CASE("subscription sing-box: VLESS encryption and a disabled inbound are left out",
          "[unit][subscription]") {
  auto p = load_profile("vless_reality_vision");
  auto encrypted = p;
  encrypted.profile.vless_encryption_enabled = true;
  auto disabled = p;
  disabled.profile.enable = false;
  std::vector<subscription_entry> entries{{&encrypted.profile, "h", "a", 0, nullptr},
                                          {&disabled.profile, "h", "b", 0, nullptr},
                                          {nullptr, "h", "c", 0, nullptr}};
  auto r = render_subscription(subscription_format::singbox, p.user, entries);
  REQUIRE(r.left_out.size() == 3);
  CHECK(r.left_out[0].reason == "VLESS encryption has no sing-box form");
  CHECK(r.left_out[1].reason == "the inbound is disabled");
  CHECK(r.left_out[2].reason == "the entry has no inbound profile");
  auto doc = json::parse(r.body);
  CHECK(doc.at("outbounds").at(0)
        == json::parse(R"({"type": "selector", "tag": "proxy", "outbounds": ["direct"]})"));
  CHECK(doc.at("outbounds").size() == 2);
}
