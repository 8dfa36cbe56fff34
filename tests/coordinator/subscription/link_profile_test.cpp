// Reading inbounds once into link profiles: what is supported, and the reasons for the rest.

#include "common/error.hpp"
#include "coordinator/subscription/link_profile.hpp"
#include "tests/coordinator/subscription/inbound_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

namespace {

/// The error message of reading `in`, which must fail with `code`.
std::string failure(const inbound_profile& in, ec code = ec::invalid_argument) {
  auto p = read_link_profile(in);
  REQUIRE_FALSE(p);
  CHECK(code_of(p.error()) == code);
  return message_of(p.error());
}

} // namespace

TEST_CASE("subscription link profile: every supported fixture reads", "[unit][subscription]") {
  for (const char* name :
       {"vless_reality_vision", "vmess_ws_tls", "trojan_grpc_tls", "ss2022_multi_user",
        "ss_aes256gcm", "vless_xhttp_tls", "vless_ws_tls", "vless_grpc_tls", "vmess_tcp",
        "vmess_tcp_http", "trojan_tcp_tls", "vless_httpupgrade", "vless_kcp",
        "vless_tls_external_proxy", "vmess_tls_external_proxy", "trojan_tls_external_proxy",
        "ss2022_tls_external_proxy"}) {
    INFO(name);
    CHECK(read_link_profile(load_inbound(name).inbound));
  }
}

TEST_CASE("subscription link profile: the typed fields of a REALITY inbound",
          "[unit][subscription]") {
  auto p = load_profile("vless_reality_vision").profile;
  CHECK(p.inbound_id == 1);
  CHECK(p.protocol == link_protocol::vless);
  CHECK(p.network == link_network::tcp);
  CHECK(p.security == link_security::reality);
  CHECK(p.port == 443);
  CHECK(p.vless_encryption == std::optional<std::string>{"none"});
  CHECK_FALSE(p.vless_encryption_enabled);
  CHECK(p.reality.present);
  CHECK(p.reality.server_names == std::vector<std::string>{"www.microsoft.com"});
  CHECK(p.reality.short_ids == std::vector<std::string>{"6ba85179e30d4fc2"});
  CHECK(p.reality.public_key
        == std::optional<std::string>{"Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw"});
  CHECK(p.reality.fingerprint == "chrome");
  CHECK(p.reality.spider_x_seed == "/");
  CHECK(p.finalmask.empty());
  CHECK(p.external_proxies.empty());
}

TEST_CASE("subscription link profile: Shadowsocks method and server key", "[unit][subscription]") {
  auto multi = load_profile("ss2022_multi_user").profile;
  CHECK(multi.ss_method == "2022-blake3-aes-128-gcm");
  CHECK(multi.ss_server_key == "MTIzNDU2Nzg5MGFiY2RlZg==");
  auto legacy = load_profile("ss_aes256gcm").profile;
  CHECK(legacy.ss_method == "aes-256-gcm");
  CHECK(legacy.ss_server_key.empty());
}

TEST_CASE("subscription link profile: an unsupported protocol names itself",
          "[unit][subscription]") {
  auto why = failure(load_inbound("wireguard").inbound);
  CHECK(why
        == "inbound 20 (wg): protocol 'wireguard' has no share link in the subscription (vless, "
           "vmess, trojan and shadowsocks have)");
  // The wireguard keys in its settings stay out of the message.
  CHECK(why.find("cGVlci") == std::string::npos);
}

TEST_CASE("subscription link profile: an unsupported transport names itself",
          "[unit][subscription]") {
  CHECK(failure(load_inbound("vmess_quic").inbound)
        == "inbound 21 (vmess-quic): transport 'quic' is not supported (tcp, ws, grpc, "
           "httpupgrade, xhttp and kcp are)");
}

TEST_CASE("subscription link profile: single-user Shadowsocks 2022 is refused",
          "[unit][subscription]") {
  auto why = failure(load_inbound("ss2022_chacha20_single").inbound);
  CHECK(why.find("inbound 22 (ss-chacha): shadowsocks method 2022-blake3-chacha20-poly1305 is "
                 "single-user")
        == 0);
  CHECK(why.find("c2VydmVy") == std::string::npos);
}

TEST_CASE("subscription link profile: a fallback child on a unix socket is not advertised",
          "[unit][subscription]") {
  CHECK(failure(load_inbound("vless_fallback_child").inbound)
        == "inbound 23 (vless-ws-child): listens on @vless-ws, which only the panel's host "
           "reaches (a fallback behind another inbound is not advertised)");
  auto in = load_inbound("vless_httpupgrade").inbound;
  in.listen = "127.0.0.1";
  CHECK(failure(in).find("listens on 127.0.0.1") != std::string::npos);
}

TEST_CASE("subscription link profile: unsupported security, REALITY misuse, bad JSON",
          "[unit][subscription]") {
  auto in = load_inbound("vmess_ws_tls").inbound;
  auto stream = nlohmann::json::parse(in.stream_settings);
  stream["security"] = "xtls";
  in.stream_settings = stream.dump();
  CHECK(failure(in)
        == "inbound 2 (vmess-ws): security 'xtls' is not supported (none, tls and reality are)");
  stream["security"] = "reality";
  in.stream_settings = stream.dump();
  CHECK(failure(in) == "inbound 2 (vmess-ws): vmess over reality is not supported");
  in.stream_settings = "{not json";
  CHECK(failure(in, ec::parse_error)
        == "inbound 2 (vmess-ws): streamSettings are not a JSON object");
  in.stream_settings = "[]";
  CHECK(failure(in, ec::parse_error)
        == "inbound 2 (vmess-ws): streamSettings are not a JSON object");
}

TEST_CASE("subscription link profile: empty stream settings mean plain tcp",
          "[unit][subscription]") {
  auto in = load_inbound("vmess_tcp").inbound;
  in.stream_settings.clear();
  auto p = read_link_profile(in);
  REQUIRE(p);
  CHECK(p->network == link_network::tcp);
  CHECK(p->security == link_security::none);
}

TEST_CASE("subscription link profile: a settings object nested in a JSON string is unwrapped",
          "[unit][subscription]") {
  auto in = load_inbound("ss2022_multi_user").inbound;
  in.settings = nlohmann::json(in.settings).dump();
  auto p = read_link_profile(in);
  REQUIRE(p);
  CHECK(p->ss_server_key == "MTIzNDU2Nzg5MGFiY2RlZg==");
}

TEST_CASE("subscription link profile: an externalProxy entry without destination is refused",
          "[unit][subscription]") {
  auto in = load_inbound("vless_tls_external_proxy").inbound;
  auto stream = nlohmann::json::parse(in.stream_settings);
  stream["externalProxy"][1].erase("dest");
  in.stream_settings = stream.dump();
  CHECK(failure(in) == "inbound 30 (char): externalProxy entry 2 has no destination or port");
}

TEST_CASE("subscription link profile: the externalProxy entries as read", "[unit][subscription]") {
  auto p = load_profile("vless_tls_external_proxy").profile;
  REQUIRE(p.external_proxies.size() == 2);
  const auto& first = p.external_proxies[0];
  CHECK(first.force_tls == "tls");
  CHECK(first.dest == "cdn1.example.com");
  CHECK(first.port == 8443);
  CHECK(first.alpn == "h3,h2");
  CHECK(first.pinned_peer_cert_sha256 == std::vector<std::string>{"UElO"});
  CHECK(p.external_proxies[1].force_tls == "none");
}

TEST_CASE("subscription link address: a public listen address wins over the public host",
          "[unit][subscription]") {
  auto p = load_profile("vmess_tcp").profile;
  CHECK(link_address(p, "de1.example.net") == "203.0.113.7");
  for (const char* listen :
       {"", "0.0.0.0", "::", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.1.1",
        "fd00::1", "fe80::1", "::ffff:10.0.0.1"}) {
    INFO(listen);
    p.listen = listen;
    CHECK(link_address(p, "de1.example.net") == "de1.example.net");
  }
  for (const char* listen : {"198.51.100.4", "2001:db8::4", "::ffff:198.51.100.4"}) {
    INFO(listen);
    p.listen = listen;
    CHECK(link_address(p, "de1.example.net") == listen);
  }
}
