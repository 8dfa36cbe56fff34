// Share links against the expected strings of subscription-formats.md §1.10 and §1.14, which
// reproduce 3x-ui's own test vectors.

#include "tools/fake_xui/sub_encoding.hpp"
#include "tools/fake_xui/sub_links.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace fleet::fake;
using nlohmann::json;

namespace {

/// An inbound from the JSON of the examples, and its first client's link(s).
std::vector<std::string> links_of(const std::string& text, const std::string& remark,
                                  std::mt19937_64& rng) {
  auto doc = json::parse(text);
  inbound in;
  in.protocol = doc["protocol"];
  in.port = doc["port"];
  in.remark = doc.value("remark", "");
  in.settings = doc["settings"];
  in.stream_settings = doc["streamSettings"].dump();
  return share_links(
      in, in.settings["clients"][0], "de1.example.net", [&] { return remark; }, rng);
}

std::string link_of(const std::string& text, const std::string& remark) {
  std::mt19937_64 rng{1};
  auto links = links_of(text, remark, rng);
  REQUIRE(links.size() == 1);
  return links[0];
}

} // namespace

TEST_CASE("encoding primitives follow Go's url and base64 packages", "[unit][fake][sub]") {
  CHECK(component_escape("p@ss/w+rd=") == "p%40ss%2Fw%2Brd%3D");
  CHECK(query_escape("a b|c") == "a+b%7Cc");
  CHECK(encode_query({{"type", "grpc"}, {"authority", ""}, {"sni", "x.net"}})
        == "authority=&sni=x.net&type=grpc");
  CHECK(join_host_port("2001:db8::10", 443) == "[2001:db8::10]:443");
  CHECK(join_host_port("[2001:db8::10]", 443) == "[2001:db8::10]:443");
  CHECK(join_host_port("de1.example.net", 443) == "de1.example.net:443");
  CHECK(base64_url_raw("aes-256-gcm:s3cret-Pa55") == "YWVzLTI1Ni1nY206czNjcmV0LVBhNTU");
}

TEST_CASE("spiderX is derived from the seed and the subscription id", "[unit][fake][sub]") {
  std::mt19937_64 rng{1};
  CHECK(derive_spider_x("/seed", "subAlice", rng) == "/c252fbc3ecd3e3c");
  CHECK(derive_spider_x("/", "", rng) == "/d08ed99bd9afc60");
  auto random = derive_spider_x("", "", rng);
  CHECK(random.size() == 16);
  CHECK(random[0] == '/');
}

TEST_CASE("vless REALITY tcp vision link (example A)", "[unit][fake][sub]") {
  auto link = link_of(R"({"protocol":"vless","port":443,"listen":"","remark":"vless-reality",
 "settings":{"clients":[{"id":"b831381d-6324-4d53-ad4f-8cda48b30811","flow":"xtls-rprx-vision","email":"alice","subId":"k3ngy5tqo2m8f1vz"}],"decryption":"none","encryption":"none"},
 "streamSettings":{"network":"tcp","security":"reality","externalProxy":[],
  "realitySettings":{"target":"www.microsoft.com:443","serverNames":["www.microsoft.com"],"shortIds":["6ba85179e30d4fc2"],
   "settings":{"publicKey":"Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw","fingerprint":"chrome","serverName":"","spiderX":"/"}},
  "tcpSettings":{"header":{"type":"none"}}}})",
                      "vless-reality-alice");
  CHECK(link
        == "vless://b831381d-6324-4d53-ad4f-8cda48b30811@de1.example.net:443?encryption=none&"
           "flow=xtls-rprx-vision&fp=chrome&pbk=Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw&"
           "security=reality&sid=6ba85179e30d4fc2&sni=www.microsoft.com&spx=%2Fb969b88535b202f&"
           "type=tcp#vless-reality-alice");
}

TEST_CASE("vmess ws TLS link (example B and the panel's own vector)", "[unit][fake][sub]") {
  auto link = link_of(R"({"protocol":"vmess","port":8443,"remark":"vmess-ws",
 "settings":{"clients":[{"id":"4f2c8a1e-9b7d-4c3e-8a55-2d1f0e6b7c90","security":"auto","email":"bob","subId":"p9x2c7v4b1n6m3qa"}]},
 "streamSettings":{"network":"ws","security":"tls",
  "wsSettings":{"path":"/vm","host":"cdn.example.net","headers":{}},
  "tlsSettings":{"serverName":"cdn.example.net","alpn":["h2","http/1.1"],"settings":{"fingerprint":"chrome","echConfigList":""}}}})",
                      "vmess-ws-bob");
  CHECK(link
        == "vmess://"
           "ewogICJhZGQiOiAiZGUxLmV4YW1wbGUubmV0IiwKICAiYWxwbiI6ICJoMixodHRwLzEuMSIsCiAgImZwIjogImN"
           "ocm9tZSIsCiAgImhvc3QiOiAiY2RuLmV4YW1wbGUubmV0IiwKICAiaWQiOiAiNGYyYzhhMWUtOWI3ZC00YzNlLT"
           "hhNTUtMmQxZjBlNmI3YzkwIiwKICAibmV0IjogIndzIiwKICAicGF0aCI6ICIvdm0iLAogICJwb3J0IjogODQ0M"
           "ywKICAicHMiOiAidm1lc3Mtd3MtYm9iIiwKICAic2N5IjogImF1dG8iLAogICJzbmkiOiAiY2RuLmV4YW1wbGUu"
           "bmV0IiwKICAidGxzIjogInRscyIsCiAgInR5cGUiOiAibm9uZSIsCiAgInYiOiAiMiIKfQ==");
  json vector{{"add", "vm1.example.com"},
              {"alpn", "h2"},
              {"fp", "chrome"},
              {"id", "11111111-2222-4333-8444-555555555555"},
              {"net", "tcp"},
              {"port", 8443},
              {"ps", "char-V1-user"},
              {"scy", "auto"},
              {"sni", "sni1.example.com"},
              {"tls", "tls"},
              {"type", "none"},
              {"v", "2"}};
  CHECK("vmess://" + base64_std(go_json(vector, true))
        == "vmess://"
           "ewogICJhZGQiOiAidm0xLmV4YW1wbGUuY29tIiwKICAiYWxwbiI6ICJoMiIsCiAgImZwIjogImNocm9tZSIsCiA"
           "gImlkIjogIjExMTExMTExLTIyMjItNDMzMy04NDQ0LTU1NTU1NTU1NTU1NSIsCiAgIm5ldCI6ICJ0Y3AiLAogIC"
           "Jwb3J0IjogODQ0MywKICAicHMiOiAiY2hhci1WMS11c2VyIiwKICAic2N5IjogImF1dG8iLAogICJzbmkiOiAic"
           "25pMS5leGFtcGxlLmNvbSIsCiAgInRscyI6ICJ0bHMiLAogICJ0eXBlIjogIm5vbmUiLAogICJ2IjogIjIiCn0"
           "=");
}

TEST_CASE("trojan grpc TLS link with reserved password characters (example C)",
          "[unit][fake][sub]") {
  auto link = link_of(R"({"protocol":"trojan","port":2083,"remark":"trojan-grpc",
 "settings":{"clients":[{"password":"Xq7p/Lw2+sVb9=","email":"carol","subId":"z1y2x3w4v5u6t7s8","flow":""}]},
 "streamSettings":{"network":"grpc","security":"tls",
  "grpcSettings":{"serviceName":"tj-grpc","authority":"","multiMode":false},
  "tlsSettings":{"serverName":"tj.example.net","alpn":[],"settings":{"fingerprint":"firefox"}}}})",
                      "trojan-grpc-carol");
  CHECK(link
        == "trojan://Xq7p%2FLw2%2BsVb9%3D@de1.example.net:2083?authority=&fp=firefox&security=tls&"
           "serviceName=tj-grpc&sni=tj.example.net&type=grpc#trojan-grpc-carol");
}

TEST_CASE("shadowsocks 2022 and classic method links (example D)", "[unit][fake][sub]") {
  const std::string ss2022 = R"({"protocol":"shadowsocks","port":8388,"remark":"ss2022",
 "settings":{"method":"2022-blake3-aes-128-gcm","password":"MTIzNDU2Nzg5MGFiY2RlZg==","network":"tcp,udp",
  "clients":[{"password":"YWJjZGVmMDEyMzQ1Njc4OQ==","email":"dave","subId":"d4v3d4v3d4v3d4v3"}]},
 "streamSettings":{"network":"tcp","security":"none","tcpSettings":{"header":{"type":"none"}}}})";
  CHECK(link_of(ss2022, "ss2022-dave")
        == "ss://2022-blake3-aes-128-gcm:MTIzNDU2Nzg5MGFiY2RlZg%3D%3D:YWJjZGVmMDEyMzQ1Njc4OQ%3D%3D@"
           "de1.example.net:8388?type=tcp#ss2022-dave");
  auto classic = json::parse(ss2022);
  classic["settings"]["method"] = "aes-256-gcm";
  classic["settings"]["clients"][0]["password"] = "s3cret-Pa55";
  CHECK(link_of(classic.dump(), "ss-erin")
        == "ss://YWVzLTI1Ni1nY206czNjcmV0LVBhNTU@de1.example.net:8388?type=tcp#ss-erin");
}

TEST_CASE("vless xhttp TLS link drops the vision flow (example E)", "[unit][fake][sub]") {
  auto link = link_of(R"({"protocol":"vless","port":443,"remark":"vless-xhttp",
 "settings":{"clients":[{"id":"0d1c2b3a-4f5e-4a6b-9c8d-7e6f5a4b3c2d","flow":"xtls-rprx-vision","email":"frank"}],"decryption":"none","encryption":"none"},
 "streamSettings":{"network":"xhttp","security":"tls","xhttpSettings":{"path":"/xh","host":"","headers":{},"mode":"auto"},
  "tlsSettings":{"serverName":"xh.example.net","alpn":["h2"],"settings":{"fingerprint":"chrome"}}}})",
                      "vless-xhttp-frank");
  CHECK(link
        == "vless://0d1c2b3a-4f5e-4a6b-9c8d-7e6f5a4b3c2d@de1.example.net:443?alpn=h2&encryption="
           "none&extra=%7B%22mode%22%3A%22auto%22%7D&fp=chrome&host=&mode=auto&path=%2Fxh&"
           "security=tls&sni=xh.example.net&type=xhttp#vless-xhttp-frank");
}

TEST_CASE("externalProxy gives one link per entry with its address and TLS", "[unit][fake][sub]") {
  std::mt19937_64 rng{1};
  auto links = links_of(R"({"protocol":"vless","port":443,"remark":"r",
 "settings":{"clients":[{"id":"u1","email":"e"}],"encryption":"none"},
 "streamSettings":{"network":"ws","security":"tls","wsSettings":{"path":"/p"},
  "tlsSettings":{"serverName":"a.net","settings":{"fingerprint":"chrome"}},
  "externalProxy":[{"forceTls":"same","dest":"cdn.net","port":8443,"remark":"cdn"},
                   {"forceTls":"tls","dest":"2001:db8::1","port":443,"sni":"b.net"},
                   {"forceTls":"none","dest":"plain.net","port":80}]}})",
                        "r-e", rng);
  REQUIRE(links.size() == 3);
  CHECK(links[0]
        == "vless://u1@cdn.net:8443?encryption=none&fp=chrome&host=&path=%2Fp&security=tls&sni=a."
           "net&type=ws#r-e");
  CHECK(links[1]
        == "vless://u1@[2001:db8::1]:443?encryption=none&fp=chrome&host=&path=%2Fp&security=tls&"
           "sni=b.net&type=ws#r-e");
  CHECK(links[2]
        == "vless://u1@plain.net:80?encryption=none&host=&path=%2Fp&security=none&type=ws#r-e");
}

TEST_CASE("REALITY links draw serverName and shortId from the panel's random source",
          "[unit][fake][sub]") {
  const std::string text = R"({"protocol":"vless","port":443,"remark":"r",
 "settings":{"clients":[{"id":"u1","email":"e","subId":"s","flow":"xtls-rprx-vision"}]},
 "streamSettings":{"network":"tcp","security":"reality",
  "realitySettings":{"serverNames":["a.com","b.com"],"shortIds":["01","0123","abcdef"],
   "settings":{"publicKey":"pk","fingerprint":"chrome","spiderX":"/"}}}})";
  std::mt19937_64 rng{42};
  std::set<std::string> sni;
  std::set<std::string> sid;
  for (int i = 0; i < 64; ++i) {
    auto link = links_of(text, "", rng)[0];
    auto value = [&](const std::string& key) {
      auto at = link.find(key + "=") + key.size() + 1;
      return link.substr(at, link.find('&', at) - at);
    };
    sni.insert(value("sni"));
    sid.insert(value("sid"));
  }
  CHECK(sni == std::set<std::string>{"a.com", "b.com"});
  CHECK(sid == std::set<std::string>{"01", "0123", "abcdef"});
  std::mt19937_64 again{42};
  std::mt19937_64 same{42};
  CHECK(links_of(text, "", again) == links_of(text, "", same));
}
