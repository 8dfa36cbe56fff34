// Share links, field for field as 3X-UI v3.6 writes them: the worked examples of
// docs/subscription-formats.md §1.14 and the panel's own characterization vectors.

#include "coordinator/subscription/share_link.hpp"
#include "coordinator/subscription/spider_x.hpp"
#include "coordinator/subscription/url_text.hpp"
#include "tests/coordinator/subscription/inbound_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

namespace {

/// The JSON text inside a vmess:// link.
std::string vmess_json(const std::string& link) {
  REQUIRE(link.rfind("vmess://", 0) == 0);
  auto text = link.substr(8);
  static const std::string alphabet
      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=')
      break;
    auto at = alphabet.find(c);
    REQUIRE(at != std::string::npos);
    buffer = (buffer << 6) | static_cast<uint32_t>(at);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

/// The link of a fixture's first client after one streamSettings field is changed.
std::string link_with_stream(const std::string& name, const char* key, const char* value) {
  auto fixture = load_inbound(name);
  auto stream = nlohmann::json::parse(fixture.inbound.stream_settings);
  stream[key] = value;
  fixture.inbound.stream_settings = stream.dump();
  auto p = read_link_profile(fixture.inbound);
  REQUIRE(p);
  return share_link({&*p, "h", "r", 0, nullptr}, fixture.user);
}

} // namespace

TEST_CASE("subscription share link: VLESS REALITY Vision as the doc's example A",
          "[unit][subscription]") {
  auto p = load_profile("vless_reality_vision");
  CHECK(links_of(p)
        == "vless://b831381d-6324-4d53-ad4f-8cda48b30811@de1.example.net:443?encryption=none&"
           "flow=xtls-rprx-vision&fp=chrome&pbk=Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw&"
           "security=reality&sid=6ba85179e30d4fc2&sni=www.microsoft.com&spx=%2Fb969b88535b202f&"
           "type=tcp#vless-reality-alice");
}

TEST_CASE("subscription share link: an IPv6 public host is bracketed", "[unit][subscription]") {
  auto p = load_profile("vless_reality_vision");
  auto link = links_of(p, "2001:db8::10");
  CHECK(link.rfind(
            "vless://b831381d-6324-4d53-ad4f-8cda48b30811@[2001:db8::10]:443?encryption=none&", 0)
        == 0);
  CHECK(links_of(p, "[2001:db8::10]") == link);
}

TEST_CASE("subscription share link: VMess WS TLS as the doc's example B", "[unit][subscription]") {
  auto p = load_profile("vmess_ws_tls");
  auto link = links_of(p);
  CHECK(
      link
      == "vmess://ewogICJhZGQiOiAiZGUxLmV4YW1wbGUubmV0IiwKICAiYWxwbiI6ICJoMixodHRwLzEuMSIsCiAgImZw"
         "IjogImNocm9tZSIsCiAgImhvc3QiOiAiY2RuLmV4YW1wbGUubmV0IiwKICAiaWQiOiAiNGYyYzhhMWUtOWI3ZC00"
         "YzNlLThhNTUtMmQxZjBlNmI3YzkwIiwKICAibmV0IjogIndzIiwKICAicGF0aCI6ICIvdm0iLAogICJwb3J0Ijog"
         "ODQ0MywKICAicHMiOiAidm1lc3Mtd3MtYm9iIiwKICAic2N5IjogImF1dG8iLAogICJzbmkiOiAiY2RuLmV4YW1w"
         "bGUubmV0IiwKICAidGxzIjogInRscyIsCiAgInR5cGUiOiAibm9uZSIsCiAgInYiOiAiMiIKfQ==");
  CHECK(
      vmess_json(link)
      == "{\n  \"add\": \"de1.example.net\",\n  \"alpn\": \"h2,http/1.1\",\n  \"fp\": \"chrome\",\n"
         "  \"host\": \"cdn.example.net\",\n  \"id\": \"4f2c8a1e-9b7d-4c3e-8a55-2d1f0e6b7c90\",\n"
         "  \"net\": \"ws\",\n  \"path\": \"/vm\",\n  \"port\": 8443,\n  \"ps\": "
         "\"vmess-ws-bob\",\n"
         "  \"scy\": \"auto\",\n  \"sni\": \"cdn.example.net\",\n  \"tls\": \"tls\",\n"
         "  \"type\": \"none\",\n  \"v\": \"2\"\n}");
}

TEST_CASE("subscription share link: Trojan gRPC TLS escapes the password as the doc's example C",
          "[unit][subscription]") {
  auto p = load_profile("trojan_grpc_tls");
  CHECK(links_of(p)
        == "trojan://Xq7p%2FLw2%2BsVb9%3D@de1.example.net:2083?authority=&fp=firefox&security=tls&"
           "serviceName=tj-grpc&sni=tj.example.net&type=grpc#trojan-grpc-carol");
}

TEST_CASE(
    "subscription share link: Shadowsocks 2022 multi-user carries server and user key as example D",
    "[unit][subscription]") {
  auto p = load_profile("ss2022_multi_user");
  CHECK(links_of(p)
        == "ss://2022-blake3-aes-128-gcm:MTIzNDU2Nzg5MGFiY2RlZg%3D%3D:YWJjZGVmMDEyMzQ1Njc4OQ%3D%3D@"
           "de1.example.net:8388?type=tcp#ss2022-dave");
}

TEST_CASE("subscription share link: a fleet client's Shadowsocks 2022 key is derived from its uuid",
          "[unit][subscription]") {
  auto p = load_profile("ss2022_multi_user");
  p.user.ss_password.clear();
  p.user.uuid = "b831381d-6324-4d53-ad4f-8cda48b30811";
  auto key = shadowsocks_password(p.user, p.profile.ss_method);
  CHECK(key.size() == 24);
  CHECK(links_of(p)
        == "ss://2022-blake3-aes-128-gcm:MTIzNDU2Nzg5MGFiY2RlZg%3D%3D:" + query_escape(key)
               + "@de1.example.net:8388?type=tcp#ss2022-dave");
}

TEST_CASE(
    "subscription share link: legacy Shadowsocks userinfo is unpadded URL-safe base64 (Gen 1 JSON)",
    "[unit][subscription]") {
  auto p = load_profile("ss_aes256gcm");
  CHECK(links_of(p)
        == "ss://YWVzLTI1Ni1nY206czNjcmV0LVBhNTU@de1.example.net:8388?type=tcp#ss-erin");
}

TEST_CASE("subscription share link: VLESS xhttp drops the Vision flow as the doc's example E",
          "[unit][subscription]") {
  auto p = load_profile("vless_xhttp_tls");
  CHECK(links_of(p)
        == "vless://0d1c2b3a-4f5e-4a6b-9c8d-7e6f5a4b3c2d@de1.example.net:443?alpn=h2&"
           "encryption=none&extra=%7B%22mode%22%3A%22auto%22%7D&fp=chrome&host=&mode=auto&"
           "path=%2Fxh&security=tls&sni=xh.example.net&type=xhttp#vless-xhttp-frank");
}

TEST_CASE("subscription share link: VLESS ws takes the Host header when no host is set",
          "[unit][subscription]") {
  auto p = load_profile("vless_ws_tls");
  CHECK(links_of(p)
        == "vless://6a1f4b2c-3d5e-4f70-8a9b-0c1d2e3f4a5b@de1.example.net:443?alpn=h2%2Chttp%2F1.1&"
           "encryption=none&fp=chrome&host=ws.example.net&path=%2Fws%3Fed%3D2048&security=tls&"
           "sni=ws.example.net&type=ws#vless-ws-grace");
}

TEST_CASE("subscription share link: VLESS gRPC in multi mode, no flow off tcp",
          "[unit][subscription]") {
  auto p = load_profile("vless_grpc_tls");
  CHECK(links_of(p)
        == "vless://7b2e5c3d-4e6f-4081-9bac-1d2e3f4a5b6c@de1.example.net:2053?alpn=h2&"
           "authority=grpc.example.net&encryption=none&fp=safari&mode=multi&security=tls&"
           "serviceName=vl-grpc&sni=grpc.example.net&type=grpc#vless-grpc-heidi");
}

TEST_CASE("subscription share link: Trojan TLS keeps an empty sni, the pin and the verify name",
          "[unit][subscription]") {
  auto p = load_profile("trojan_tcp_tls");
  CHECK(links_of(p)
        == "trojan://kY3vQm9xT2@de1.example.net:8443?alpn=h2%2Chttp%2F1.1&fp=randomized&"
           "pcs=Ynl0ZXMtb2YtdGhlLXBpbg%3D%3D&security=tls&sni=&type=tcp&vcn=tj.example.net"
           "#trojan-tls-mallory");
}

TEST_CASE("subscription share link: VLESS httpupgrade without TLS", "[unit][subscription]") {
  auto p = load_profile("vless_httpupgrade");
  CHECK(links_of(p)
        == "vless://ae5b8f60-7b92-43b4-8edf-4a5b6c7d8e9f@de1.example.net:8080?encryption=none&"
           "host=hu.example.net&path=%2Fup&security=none&type=httpupgrade#vless-hu-niaj");
}

TEST_CASE(
    "subscription share link: VLESS mKCP reads header and seed from finalmask and passes it on",
    "[unit][subscription]") {
  auto p = load_profile("vless_kcp");
  CHECK(links_of(p)
        == "vless://bf6c9071-8ca3-44c5-9f01-5b6c7d8e9fa0@de1.example.net:4500?encryption=none&"
           "fm=%7B%22udp%22%3A%5B%7B%22settings%22%3A%7B%22header%22%3A%22wechat%22%2C%22value%22"
           "%3A%22%22%7D%2C%22type%22%3A%22mkcp-legacy%22%7D%2C%7B%22settings%22%3A%7B%22header%22"
           "%3A%22%22%2C%22value%22%3A%22kcp-seed%22%7D%2C%22type%22%3A%22mkcp-legacy%22%7D%5D%7D&"
           "headerType=wechat-video&mtu=1350&security=none&seed=kcp-seed&tti=20&type=kcp"
           "#vless-kcp-olivia");
}

TEST_CASE("subscription share link: VMess tcp on a public listen address (Gen 1 JSON)",
          "[unit][subscription]") {
  auto p = load_profile("vmess_tcp");
  CHECK(vmess_json(links_of(p))
        == "{\n  \"add\": \"203.0.113.7\",\n  \"id\": \"8c3f6d4e-5f70-4192-8cbd-2e3f4a5b6c7d\",\n"
           "  \"net\": \"tcp\",\n  \"port\": 10086,\n  \"ps\": \"vmess-tcp-ivan\",\n"
           "  \"scy\": \"auto\",\n  \"tls\": \"none\",\n  \"type\": \"none\",\n  \"v\": \"2\"\n}");
}

TEST_CASE("subscription share link: VMess tcp with an http header takes the response's Host",
          "[unit][subscription]") {
  auto p = load_profile("vmess_tcp_http");
  CHECK(vmess_json(links_of(p))
        == "{\n  \"add\": \"de1.example.net\",\n  \"host\": \"response.example.net\",\n"
           "  \"id\": \"9d4a7e5f-6a81-42a3-9dce-3f4a5b6c7d8e\",\n  \"net\": \"tcp\",\n"
           "  \"path\": \"/news\",\n  \"port\": 80,\n  \"ps\": \"vmess-http-judy\",\n"
           "  \"scy\": \"auto\",\n  \"tls\": \"none\",\n  \"type\": \"http\",\n  \"v\": \"2\"\n}");
}

TEST_CASE("subscription share link: externalProxy entries as the panel's vector C1",
          "[unit][subscription]") {
  auto p = load_profile("vless_tls_external_proxy");
  CHECK(links_of(p)
        == "vless://11111111-2222-4333-8444-555555555555@cdn1.example.com:8443?alpn=h3%2Ch2&"
           "encryption=none&fp=firefox&pcs=UElO&security=tls&sni=sni1.example.com&type=tcp"
           "#char-R1-user\n"
           "vless://11111111-2222-4333-8444-555555555555@cdn2.example.com:80?encryption=none&"
           "security=none&type=tcp#char-R2-user");
}

TEST_CASE("subscription share link: VMess externalProxy entries as the panel's vector C2",
          "[unit][subscription]") {
  auto p = load_profile("vmess_tls_external_proxy");
  CHECK(
      links_of(p)
      == "vmess://ewogICJhZGQiOiAidm0xLmV4YW1wbGUuY29tIiwKICAiYWxwbiI6ICJoMiIsCiAgImZwIjogImNocm9t"
         "ZSIsCiAgImlkIjogIjExMTExMTExLTIyMjItNDMzMy04NDQ0LTU1NTU1NTU1NTU1NSIsCiAgIm5ldCI6ICJ0Y3Ai"
         "LAogICJwb3J0IjogODQ0MywKICAicHMiOiAiY2hhci1WMS11c2VyIiwKICAic2N5IjogImF1dG8iLAogICJzbmki"
         "OiAic25pMS5leGFtcGxlLmNvbSIsCiAgInRscyI6ICJ0bHMiLAogICJ0eXBlIjogIm5vbmUiLAogICJ2IjogIjIi"
         "Cn0=\n"
         "vmess://ewogICJhZGQiOiAidm0yLmV4YW1wbGUuY29tIiwKICAiaWQiOiAiMTExMTExMTEtMjIyMi00MzMzLTg0"
         "NDQtNTU1NTU1NTU1NTU1IiwKICAibmV0IjogInRjcCIsCiAgInBvcnQiOiA4MCwKICAicHMiOiAiY2hhci1WMi11"
         "c2VyIiwKICAic2N5IjogImF1dG8iLAogICJ0bHMiOiAibm9uZSIsCiAgInR5cGUiOiAibm9uZSIsCiAgInYiOiAi"
         "MiIKfQ==");
}

TEST_CASE("subscription share link: Trojan and Shadowsocks externalProxy as the panel's vectors C3",
          "[unit][subscription]") {
  CHECK(links_of(load_profile("trojan_tls_external_proxy"))
        == "trojan://p%40ss%2Fw%2Brd%3D@tj.example.com:8443?fp=chrome&security=tls&sni=tj.sni&"
           "type=tcp#char-TJ-user");
  CHECK(links_of(load_profile("ss2022_tls_external_proxy"))
        == "ss://2022-blake3-aes-256-gcm:inboundpw:clientpw@ss.example.com:8443?fp=chrome&"
           "security=tls&sni=ss.sni&type=tcp#char-SS-user");
}

TEST_CASE(
    "subscription share link: Shadowsocks over a tcp http header becomes the obfs-local plugin",
    "[unit][subscription]") {
  auto fixture = load_inbound("ss2022_multi_user");
  fixture.inbound.stream_settings
      = R"({"network":"tcp","security":"none","tcpSettings":{"header":{"type":"http",)"
        R"("request":{"path":["/"],"headers":{"Host":["test"]}}}}})";
  auto profile = read_link_profile(fixture.inbound);
  REQUIRE(profile);
  subscription_entry e{&*profile, "de1.example.net", "ss", 0, nullptr};
  CHECK(share_link(e, fixture.user)
        == "ss://2022-blake3-aes-128-gcm:MTIzNDU2Nzg5MGFiY2RlZg%3D%3D:YWJjZGVmMDEyMzQ1Njc4OQ%3D%3D@"
           "de1.example.net:8388?plugin=obfs-local%3Bobfs%3Dhttp%3Bobfs-host%3Dtest#ss");
}

TEST_CASE("subscription share link: an empty remark gives no fragment, remarks are percent-encoded",
          "[unit][subscription]") {
  auto p = load_profile("vless_httpupgrade");
  subscription_entry e{&p.profile, "de1.example.net", "", 0, nullptr};
  auto link = share_link(e, p.user);
  CHECK(link.find('#') == std::string::npos);
  e.remark = "DE 1 | \xF0\x9F\x87\xA9\xF0\x9F\x87\xAA+";
  link = share_link(e, p.user);
  CHECK(link.substr(link.find('#')) == "#DE%201%20%7C%20%F0%9F%87%A9%F0%9F%87%AA%2B");
  CHECK(share_link(subscription_entry{}, p.user).empty());
}

TEST_CASE("subscription share link: the Vision flow needs tcp under tls or reality",
          "[unit][subscription]") {
  auto raw = link_with_stream("vless_reality_vision", "network", "raw");
  CHECK(raw.find("flow=xtls-rprx-vision") != std::string::npos);
  CHECK(raw.find("type=tcp") != std::string::npos);
  auto plain = link_with_stream("vless_reality_vision", "security", "none");
  CHECK(plain.find("flow=") == std::string::npos);
  CHECK(plain.find("security=none") != std::string::npos);
}

TEST_CASE(
    "subscription share link: REALITY picks the first server name and short id, spx is stable",
    "[unit][subscription]") {
  auto fixture = load_inbound("vless_reality_vision");
  auto stream = nlohmann::json::parse(fixture.inbound.stream_settings);
  stream["realitySettings"]["serverNames"] = {"a.example.com", "b.example.com"};
  stream["realitySettings"]["shortIds"] = {"", "0123"};
  fixture.inbound.stream_settings = stream.dump();
  auto p = read_link_profile(fixture.inbound);
  REQUIRE(p);
  subscription_entry e{&*p, "h", "r", 0, nullptr};
  auto link = share_link(e, fixture.user);
  CHECK(link.find("&sid=&sni=a.example.com&") != std::string::npos);
  CHECK(share_link(e, fixture.user) == link);
  // Without a subscription id the e-mail keys the spider path.
  auto by_email = fixture.user;
  by_email.sub_id.clear();
  CHECK(share_link(e, by_email).find("spx=" + query_escape(derive_spider_x("/", "alice")))
        != std::string::npos);
}

TEST_CASE("subscription spider path matches the panel's frontend vectors", "[unit][subscription]") {
  CHECK(derive_spider_x("/seed", "subAlice") == "/c252fbc3ecd3e3c");
  CHECK(derive_spider_x("/", "") == "/d08ed99bd9afc60");
  CHECK(derive_spider_x("/", "k3ngy5tqo2m8f1vz") == "/b969b88535b202f");
  CHECK(derive_spider_x("", "") == derive_spider_x("", ""));
}

TEST_CASE("subscription link remark joins the non-empty parts with '-'", "[unit][subscription]") {
  CHECK(link_remark("vless-reality", "alice") == "vless-reality-alice");
  CHECK(link_remark("char", "user", "R1") == "char-R1-user");
  CHECK(link_remark("", "alice") == "alice");
  CHECK(link_remark("in", "", "") == "in");
  CHECK(link_remark("", "", "").empty());
}
