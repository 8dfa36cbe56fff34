// The panel's own subscription listener over loopback (subscription-formats.md §1, §2.1).

#include "tests/support/share_links.hpp"
#include "tests/tools/fake_xui/served_panel.hpp"
#include "tools/fake_xui/panel_options_parser.hpp"

#include <map>
#include <set>

using namespace fleet::fake;
using fleet::fake::test::body_of;
using fleet::fake::test::served;
using nlohmann::json;
using namespace fleet::test;

namespace {

void showcase_with_sub(panel_options& p) {
  p.inbounds = "showcase";
  p.sub_port = 0;
}

/// The panel's subscription listener.
httplib::Client sub_client(served& s) {
  return httplib::Client{"127.0.0.1", *s.options().sub_port};
}

/// The decoded links of a subscription answer.
std::vector<std::string> links_in(const httplib::Result& r) {
  std::vector<std::string> out;
  auto text = base64_decode(r->body);
  size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    out.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

/// The showcase inbounds as the gen2 API lists them.
json inbound_list(served& s) {
  auto c = s.client();
  return body_of(
      c.Get("/secret/panel/api/inbounds/list", {{"Authorization", "Bearer tok"}}))["obj"];
}

std::set<std::string> strings_of(const json& list) {
  return list.get<std::set<std::string>>();
}

} // namespace

TEST_CASE("a client added over the API is in the subscription with its link fields",
          "[integration][fake][sub]") {
  served s{api_profile::gen2, showcase_with_sub};
  auto c = s.client();
  json add{{"client",
            {{"email", "alice"},
             {"id", "b831381d-6324-4d53-ad4f-8cda48b30811"},
             {"password", "p@ss/w+rd="},
             {"subId", "alicesub"},
             {"flow", "xtls-rprx-vision"}}},
           {"inboundIds", {1, 2, 3}}};
  auto r = c.Post("/secret/panel/api/clients/add", {{"Authorization", "Bearer tok"}}, add.dump(),
                  "application/json");
  REQUIRE(body_of(r)["success"] == true);
  auto inbounds = inbound_list(s);
  auto sub = sub_client(s);
  r = sub.Get("/sub/alicesub", {{"Host", "vpn.example.org:2096"}});
  REQUIRE(r);
  CHECK(r->status == 200);
  auto links = links_in(r);
  REQUIRE(links.size() == 3);

  auto reality = parse_link(links[0]);
  const auto& rs = inbounds[0]["streamSettings"]["realitySettings"];
  CHECK(reality.scheme == "vless");
  CHECK(reality.user == "b831381d-6324-4d53-ad4f-8cda48b30811");
  CHECK(reality.host == "vpn.example.org");
  CHECK(reality.port == 443);
  CHECK(reality.query["type"] == "tcp");
  CHECK(reality.query["security"] == "reality");
  CHECK(reality.query["flow"] == "xtls-rprx-vision");
  CHECK(reality.query["encryption"] == "none");
  CHECK(reality.query["pbk"] == rs["settings"]["publicKey"]);
  CHECK(reality.query["fp"] == "chrome");
  CHECK(strings_of(rs["serverNames"]).count(reality.query["sni"]) == 1);
  CHECK(strings_of(rs["shortIds"]).count(reality.query["sid"]) == 1);
  CHECK(reality.query["spx"].size() == 16);
  CHECK(reality.remark == "vless-reality-alice");

  auto ws = parse_link(links[1]);
  CHECK(ws.port == 8443);
  CHECK(ws.query["type"] == "ws");
  CHECK(ws.query["security"] == "tls");
  CHECK(ws.query["path"] == "/vlws");
  CHECK(ws.query["host"] == "cdn.example.net");
  CHECK(ws.query["sni"] == "cdn.example.net");
  CHECK(ws.query["alpn"] == "h2,http/1.1");
  CHECK(ws.query.count("flow") == 0); // vision runs on tcp only
  CHECK(ws.remark == "vless-ws-tls"); // later links carry the inbound's name alone

  auto grpc = parse_link(links[2]);
  CHECK(grpc.scheme == "trojan");
  CHECK(grpc.user == "p@ss/w+rd=");
  CHECK(links[2].find("trojan://p%40ss%2Fw%2Brd%3D@") == 0);
  CHECK(grpc.query["type"] == "grpc");
  CHECK(grpc.query["serviceName"] == "tj-grpc");
  CHECK(grpc.query["authority"].empty());
  CHECK(grpc.query["sni"] == "tj.example.net");
  CHECK(grpc.query["fp"] == "firefox");
}

TEST_CASE("the subscription covers vmess and shadowsocks clients of the showcase",
          "[integration][fake][sub]") {
  served s{api_profile::gen2, showcase_with_sub};
  auto inbounds = inbound_list(s);
  auto sub_id = inbounds[0]["settings"]["clients"][0]["subId"].get<std::string>();
  auto sub = sub_client(s);
  auto links = links_in(sub.Get("/sub/" + sub_id, {{"Host", "de1.example.net"}}));
  REQUIRE(links.size() == 6);
  REQUIRE(links[3].rfind("vmess://", 0) == 0);
  auto vmess = json::parse(base64_decode(links[3].substr(8)));
  CHECK(vmess["add"] == "de1.example.net");
  CHECK(vmess["port"] == 8080);
  CHECK(vmess["net"] == "ws");
  CHECK(vmess["path"] == "/vm");
  CHECK(vmess["host"] == "vm.example.net");
  CHECK(vmess["tls"] == "none");
  CHECK(vmess["scy"] == "auto");
  CHECK(vmess["id"] == inbounds[3]["settings"]["clients"][0]["id"]);
  auto ss = parse_link(links[4]);
  const auto& settings = inbounds[4]["settings"];
  CHECK(ss.scheme == "ss");
  CHECK(ss.user
        == "2022-blake3-aes-256-gcm:" + settings["password"].get<std::string>() + ":"
               + settings["clients"][0]["password"].get<std::string>());
  CHECK(ss.port == 8388);
  CHECK(ss.query == std::map<std::string, std::string>{{"type", "tcp"}});
  auto xhttp = parse_link(links[5]);
  CHECK(xhttp.query["type"] == "xhttp");
  CHECK(xhttp.query["mode"] == "auto");
  CHECK(xhttp.query["path"] == "/xh");
  CHECK(json::parse(xhttp.query["extra"]) == json{{"mode", "auto"}, {"xPaddingBytes", "100-1000"}});
}

TEST_CASE("unknown subscription ids get an empty 404 from v3.1 on and 400 Error! before",
          "[integration][fake][sub]") {
  served modern{api_profile::gen2, showcase_with_sub};
  auto r = sub_client(modern).Get("/sub/nobody");
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(r->body.empty());
  CHECK_FALSE(r->has_header("Subscription-Userinfo"));
  r = sub_client(modern).Get("/json/nobody");
  CHECK(r->status == 404);
  served classic{api_profile::classic, showcase_with_sub};
  r = sub_client(classic).Get("/sub/nobody");
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(r->body == "Error!");
}

TEST_CASE("subscription answers carry the panel's headers, also for HEAD",
          "[integration][fake][sub]") {
  served s{api_profile::gen2, [](panel_options& p) {
             showcase_with_sub(p);
             p.sub_title = "Fleet VPN";
           }};
  auto c = s.client();
  json add{{"client",
            {{"email", "bob"},
             {"subId", "bobsub"},
             {"totalGB", 53687091200},
             {"expiryTime", 1767225600000}}},
           {"inboundIds", {1}}};
  REQUIRE(body_of(c.Post("/secret/panel/api/clients/add", {{"Authorization", "Bearer tok"}},
                         add.dump(), "application/json"))["success"]
          == true);
  auto control = s.control();
  control.Post("/_fake/panels/p/traffic", R"({"email":"bob","up":10485760,"down":209715200})",
               "application/json");
  auto sub = sub_client(s);
  for (const auto* method : {"GET", "HEAD"}) {
    auto r = std::string{method} == "GET"
                 ? sub.Get("/sub/bobsub?x=1", {{"Host", "a.example:2096"}})
                 : sub.Head("/sub/bobsub?x=1", {{"Host", "a.example:2096"}});
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Subscription-Userinfo")
          == "upload=10485760; download=209715200; total=53687091200; expire=1767225600");
    CHECK(r->get_header_value("Profile-Update-Interval") == "12");
    CHECK(r->get_header_value("Profile-Title") == "base64:RmxlZXQgVlBO");
    CHECK(r->get_header_value("Profile-Web-Page-Url") == "http://a.example:2096/sub/bobsub?x=1");
    CHECK(r->get_header_value("Content-Type") == "text/plain; charset=utf-8");
    CHECK_FALSE(r->has_header("Routing-Enable"));
  }
  // A client with a quota shows what is left on its first link.
  auto links = links_in(sub.Get("/sub/bobsub"));
  REQUIRE(links.size() == 1);
  CHECK(parse_link(links[0]).remark.rfind("vless-reality-bob|\xF0\x9F\x93\x8A"
                                          "49.79GB|\xE2\x8F\xB3",
                                          0)
        == 0);
  CHECK(s.server.find("p")->counters()["HEAD sub/:subid"] == 1);
}

TEST_CASE("links advertise sub_host, else the request host, a loopback one as localhost",
          "[integration][fake][sub]") {
  served plain{api_profile::gen2, showcase_with_sub};
  auto sub_id = inbound_list(plain)[0]["settings"]["clients"][0]["subId"].get<std::string>();
  auto links = links_in(sub_client(plain).Get("/sub/" + sub_id));
  CHECK(parse_link(links[0]).host == "localhost");
  links = links_in(
      sub_client(plain).Get("/sub/" + sub_id, {{"X-Forwarded-Host", "fw.example:8443"}}));
  CHECK(parse_link(links[0]).host == "fw.example");
  links = links_in(sub_client(plain).Get("/sub/" + sub_id, {{"Host", "[2001:db8::7]:2096"}}));
  CHECK(links[0].find("@[2001:db8::7]:443?") != std::string::npos);
  served domain{api_profile::gen2, [](panel_options& p) {
                  showcase_with_sub(p);
                  p.sub_host = "sub.example.net";
                }};
  sub_id = inbound_list(domain)[0]["settings"]["clients"][0]["subId"].get<std::string>();
  links = links_in(sub_client(domain).Get("/sub/" + sub_id, {{"Host", "other.example"}}));
  CHECK(parse_link(links[0]).host == "sub.example.net");
}

TEST_CASE("sub_port, sub_host and sub_title are panel options and sub_port is described",
          "[unit][fake][sub]") {
  auto cl = parse_command_line(
      {"--panel", "name=a,inbounds=showcase,sub_port=0,sub_host=s.example,sub_title=T"});
  REQUIRE(cl.error.empty());
  REQUIRE(cl.panels.size() == 1);
  CHECK(cl.panels[0].sub_port == uint16_t{0});
  CHECK(cl.panels[0].sub_host == "s.example");
  CHECK(cl.panels[0].inbounds == "showcase");
  CHECK(parse_command_line({"--panel", "sub_port=x"}).error == "sub_port x is not 0..65535");
  CHECK(parse_command_line({"--panel", "inbounds=big"}).error
        == "inbounds big is not default or showcase");
  served s{api_profile::classic, showcase_with_sub};
  auto panel = s.server.describe()["panels"][0];
  CHECK(panel["sub_port"] == *s.options().sub_port);
  CHECK(panel["sub_port"] != panel["port"]);
  served none{api_profile::classic};
  CHECK_FALSE(none.server.describe()["panels"][0].contains("sub_port"));
}

TEST_CASE("gen2 panels list a subscription's links in their API with name-only remarks",
          "[integration][fake][sub]") {
  served s{api_profile::gen2, showcase_with_sub};
  auto sub_id = inbound_list(s)[0]["settings"]["clients"][0]["subId"].get<std::string>();
  auto c = s.client();
  auto r = c.Get("/secret/panel/api/clients/subLinks/" + sub_id,
                 {{"Authorization", "Bearer tok"}, {"Host", "panel.example:2053"}});
  REQUIRE(r);
  auto links = body_of(r)["obj"];
  REQUIRE(links.size() == 6);
  auto second = parse_link(links[1].get<std::string>());
  CHECK(second.host == "panel.example");
  CHECK(second.remark == "vless-ws-tls-p-seed-vless-ws");
  r = c.Get("/secret/panel/api/clients/subLinks/nobody", {{"Authorization", "Bearer tok"}});
  CHECK(body_of(r)["obj"] == json::array());
}
