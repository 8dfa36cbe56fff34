// The Clash/Mihomo form, checked by reading the YAML back.

#include "coordinator/subscription/subscription.hpp"
#include "tests/coordinator/subscription/inbound_fixtures.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <yaml-cpp/yaml.h>

using namespace fleet;
using namespace fleet::test;

namespace {

/// The entries of several fixtures in one subscription.
struct doc_fleet {
  std::vector<loaded_profile> profiles;
  std::vector<subscription_entry> entries;

  explicit doc_fleet(std::initializer_list<const char*> names) {
    for (const char* name : names)
      profiles.push_back(load_profile(name));
    for (const auto& p : profiles)
      for (auto& e : entries_at(p))
        entries.push_back(e);
  }
};

YAML::Node proxy_named(const YAML::Node& doc, const std::string& name) {
  for (const auto& proxy : doc["proxies"])
    if (proxy["name"].as<std::string>() == name)
      return proxy;
  FAIL("no proxy named " << name);
  return {};
}

/// One profile rendered for its own user.
YAML::Node clash_of(const loaded_profile& p) {
  auto r = render_subscription(subscription_format::clash, p.user, entries_at(p));
  CHECK(r.left_out.empty());
  return YAML::Load(r.body);
}

} // namespace

TEST_CASE("subscription clash: the doc's VLESS REALITY proxy", "[unit][subscription]") {
  auto doc = clash_of(load_profile("vless_reality_vision"));
  auto x = proxy_named(doc, "vless-reality-alice");
  CHECK(x["type"].as<std::string>() == "vless");
  CHECK(x["server"].as<std::string>() == "de1.example.net");
  CHECK(x["port"].as<int>() == 443);
  CHECK(x["udp"].as<bool>());
  CHECK(x["uuid"].as<std::string>() == "b831381d-6324-4d53-ad4f-8cda48b30811");
  CHECK(x["network"].as<std::string>() == "tcp");
  CHECK(x["flow"].as<std::string>() == "xtls-rprx-vision");
  CHECK(x["tls"].as<bool>());
  CHECK(x["servername"].as<std::string>() == "www.microsoft.com");
  CHECK(x["client-fingerprint"].as<std::string>() == "chrome");
  CHECK(x["reality-opts"]["public-key"].as<std::string>()
        == "Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw");
  CHECK(x["reality-opts"]["short-id"].as<std::string>() == "6ba85179e30d4fc2");
  // Quoted, so YAML never reads a short id such as 0123 as a number.
  CHECK(x["reality-opts"]["short-id"].Tag() == "!");
  CHECK_FALSE(x["encryption"]);
}

TEST_CASE("subscription clash: the doc's VMess ws proxy", "[unit][subscription]") {
  auto doc = clash_of(load_profile("vmess_ws_tls"));
  auto x = proxy_named(doc, "vmess-ws-bob");
  CHECK(x["type"].as<std::string>() == "vmess");
  CHECK(x["alterId"].as<int>() == 0);
  CHECK(x["cipher"].as<std::string>() == "auto");
  CHECK(x["network"].as<std::string>() == "ws");
  CHECK(x["ws-opts"]["path"].as<std::string>() == "/vm");
  CHECK(x["ws-opts"]["headers"]["Host"].as<std::string>() == "cdn.example.net");
  CHECK(x["tls"].as<bool>());
  CHECK(x["servername"].as<std::string>() == "cdn.example.net");
  CHECK(x["client-fingerprint"].as<std::string>() == "chrome");
  // h2 would break the WebSocket upgrade.
  CHECK_FALSE(x["alpn"]);
}

TEST_CASE("subscription clash: the doc's Trojan gRPC proxy names its SNI sni",
          "[unit][subscription]") {
  auto doc = clash_of(load_profile("trojan_grpc_tls"));
  auto x = proxy_named(doc, "trojan-grpc-carol");
  CHECK(x["type"].as<std::string>() == "trojan");
  CHECK(x["password"].as<std::string>() == "Xq7p/Lw2+sVb9=");
  CHECK(x["password"].Tag() == "!");
  CHECK(x["network"].as<std::string>() == "grpc");
  CHECK(x["grpc-opts"]["grpc-service-name"].as<std::string>() == "tj-grpc");
  CHECK(x["sni"].as<std::string>() == "tj.example.net");
  CHECK_FALSE(x["servername"]);
  CHECK(x["client-fingerprint"].as<std::string>() == "firefox");
}

TEST_CASE("subscription clash: the doc's Shadowsocks 2022 proxy joins server and user key",
          "[unit][subscription]") {
  auto doc = clash_of(load_profile("ss2022_multi_user"));
  auto x = proxy_named(doc, "ss2022-dave");
  CHECK(x["type"].as<std::string>() == "ss");
  CHECK(x["cipher"].as<std::string>() == "2022-blake3-aes-128-gcm");
  CHECK(x["password"].as<std::string>() == "MTIzNDU2Nzg5MGFiY2RlZg==:YWJjZGVmMDEyMzQ1Njc4OQ==");
  CHECK_FALSE(x["network"]);
  CHECK_FALSE(x["tls"]);
}

TEST_CASE("subscription clash: the document has unique names, one PROXY group and a catch-all rule",
          "[unit][subscription]") {
  auto p = load_profile("vless_reality_vision");
  auto q = load_profile("vless_httpupgrade");
  std::vector<subscription_entry> entries{{&p.profile, "de1.example.net", "DE", 0, nullptr},
                                          {&p.profile, "2001:db8::10", "DE", 0, nullptr},
                                          {&q.profile, "de2.example.net", "", 0, nullptr},
                                          {&q.profile, "de3.example.net", "PROXY", 0, nullptr},
                                          {&q.profile, "de4.example.net", "yes", 0, nullptr}};
  auto r = render_subscription(subscription_format::clash, p.user, entries);
  CHECK(r.content_type == "application/yaml; charset=utf-8");
  CHECK(r.filename == "subscription.yaml");
  CHECK(r.left_out.empty());
  auto doc = YAML::Load(r.body);
  REQUIRE(doc["proxies"].size() == 5);
  std::vector<std::string> names;
  for (const auto& x : doc["proxies"])
    names.push_back(x["name"].as<std::string>());
  CHECK(names
        == std::vector<std::string>{"DE", "DE-2", "vless-de2.example.net-8080", "PROXY-2", "yes"});
  CHECK(doc["proxies"][1]["server"].as<std::string>() == "2001:db8::10");
  // `yes` would be a bool in YAML 1.1 unless quoted.
  CHECK(doc["proxies"][4]["name"].Tag() == "!");
  auto x = proxy_named(doc, "PROXY-2");
  CHECK(x["network"].as<std::string>() == "ws");
  CHECK(x["ws-opts"]["v2ray-http-upgrade"].as<bool>());
  CHECK(x["ws-opts"]["path"].as<std::string>() == "/up");
  CHECK_FALSE(x["tls"].as<bool>());
  REQUIRE(doc["proxy-groups"].size() == 1);
  auto group = doc["proxy-groups"][0];
  CHECK(group["name"].as<std::string>() == "PROXY");
  CHECK(group["type"].as<std::string>() == "select");
  auto members = group["proxies"].as<std::vector<std::string>>();
  names.push_back("DIRECT");
  CHECK(members == names);
  CHECK(doc["rules"].as<std::vector<std::string>>() == std::vector<std::string>{"MATCH,PROXY"});
}

TEST_CASE("subscription clash: what Mihomo cannot express is left out with a reason",
          "[unit][subscription]") {
  doc_fleet fleet{"vless_xhttp_tls", "vless_kcp",      "vmess_tcp_http",
                  "vless_grpc_tls",  "trojan_tcp_tls", "ss2022_tls_external_proxy"};
  auto r = render_subscription(subscription_format::clash, fleet.profiles[0].user, fleet.entries);
  REQUIRE(r.left_out.size() == 4);
  CHECK(r.left_out[0].index == 0);
  CHECK(r.left_out[0].reason == "transport xhttp has no Clash or sing-box form");
  CHECK(r.left_out[1].reason == "finalmask masks have no Clash or sing-box form");
  CHECK(r.left_out[2].reason == "tcp with an http header has no Clash form");
  CHECK(r.left_out[3].index == 5);
  CHECK(r.left_out[3].reason
        == "shadowsocks over anything but plain tcp has no Clash or sing-box form");
  auto doc = YAML::Load(r.body);
  REQUIRE(doc["proxies"].size() == 2);
  auto grpc = proxy_named(doc, "vless-grpc-heidi");
  // Vision runs on tcp only.
  CHECK_FALSE(grpc["flow"]);
  CHECK(grpc["alpn"].as<std::vector<std::string>>() == std::vector<std::string>{"h2"});
  auto trojan = proxy_named(doc, "trojan-tls-mallory");
  CHECK(trojan["client-fingerprint"].as<std::string>() == "random");
  CHECK(trojan["alpn"].as<std::vector<std::string>>()
        == std::vector<std::string>{"h2", "http/1.1"});
  CHECK_FALSE(trojan["sni"]);
}

TEST_CASE("subscription clash: externalProxy entries decide address and TLS",
          "[unit][subscription]") {
  auto p = load_profile("vless_tls_external_proxy");
  auto doc = clash_of(p);
  auto cdn1 = proxy_named(doc, "char-R1-user");
  CHECK(cdn1["server"].as<std::string>() == "cdn1.example.com");
  CHECK(cdn1["port"].as<int>() == 8443);
  CHECK(cdn1["servername"].as<std::string>() == "sni1.example.com");
  CHECK(cdn1["client-fingerprint"].as<std::string>() == "firefox");
  CHECK(cdn1["alpn"].as<std::vector<std::string>>() == std::vector<std::string>{"h3", "h2"});
  auto cdn2 = proxy_named(doc, "char-R2-user");
  CHECK(cdn2["port"].as<int>() == 80);
  CHECK_FALSE(cdn2["tls"].as<bool>());
  CHECK_FALSE(cdn2["servername"]);
}

TEST_CASE("subscription clash: REALITY without a usable public key is left out",
          "[unit][subscription]") {
  auto p = load_profile("vless_reality_vision");
  p.profile.reality.public_key.reset();
  auto r = render_subscription(subscription_format::clash, p.user, entries_at(p));
  REQUIRE(r.left_out.size() == 1);
  CHECK(r.left_out[0].reason
        == "the reality inbound has no usable public key (settings.publicKey)");
  p.profile.reality.public_key = "Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw";
  p.profile.reality.short_ids = {"abc"};
  r = render_subscription(subscription_format::clash, p.user, entries_at(p));
  REQUIRE(r.left_out.size() == 1);
  CHECK(r.left_out[0].reason == "the reality short id is not hex of at most 8 bytes");
}
