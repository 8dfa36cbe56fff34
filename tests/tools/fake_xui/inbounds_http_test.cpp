// Showcase inbounds and the control API's "add inbound" over HTTP, in both API generations.

#include "tests/tools/fake_xui/served_panel.hpp"

using namespace fleet::fake;
using fleet::fake::test::body_of;
using fleet::fake::test::served;
using nlohmann::json;

namespace {

void showcase(panel_options& p) {
  p.inbounds = "showcase";
}

/// `value` as an object: gen2 panels send objects, classic panels JSON text.
json as_object(const json& value) {
  return value.is_string() ? json::parse(value.get<std::string>()) : value;
}

} // namespace

TEST_CASE("classic panels list the showcase inbounds with settings as JSON text",
          "[integration][fake]") {
  served s{api_profile::classic, showcase};
  auto c = s.client();
  auto r
      = c.Post("/secret/login", "username=admin&password=pw", "application/x-www-form-urlencoded");
  auto cookie = r->get_header_value("Set-Cookie");
  httplib::Headers h{{"Cookie", cookie.substr(0, cookie.find(';'))}};
  r = c.Get("/secret/panel/api/inbounds/list", h);
  REQUIRE(r);
  auto list = body_of(r)["obj"];
  REQUIRE(list.size() == 6);
  for (const auto& in : list) {
    CHECK(in["settings"].is_string());
    CHECK(in["streamSettings"].is_string());
    CHECK(in["sniffing"].is_string());
  }
  auto reality = as_object(list[0]["streamSettings"]);
  CHECK(reality["security"] == "reality");
  CHECK(reality["realitySettings"]["settings"]["publicKey"].is_string());
  CHECK(as_object(list[0]["settings"])["clients"][0]["flow"] == "xtls-rprx-vision");
  CHECK(as_object(list[3]["streamSettings"])["wsSettings"]["headers"]["Host"] == "vm.example.net");
  CHECK(list[2]["tag"] == "inbound-2083");
}

TEST_CASE("gen2 panels list the showcase inbounds with settings as objects",
          "[integration][fake]") {
  served s{api_profile::gen2, showcase};
  auto c = s.client();
  auto r = c.Get("/secret/panel/api/inbounds/list", {{"Authorization", "Bearer tok"}});
  REQUIRE(r);
  auto list = body_of(r)["obj"];
  REQUIRE(list.size() == 6);
  for (const auto& in : list) {
    CHECK(in["settings"].is_object());
    CHECK(in["streamSettings"].is_object());
  }
  CHECK(list[1]["streamSettings"]["wsSettings"]["path"] == "/vlws");
  CHECK(list[2]["streamSettings"]["grpcSettings"]["serviceName"] == "tj-grpc");
  CHECK(list[4]["settings"]["method"] == "2022-blake3-aes-256-gcm");
  CHECK(list[5]["streamSettings"]["xhttpSettings"]["mode"] == "auto");
  CHECK(list[2]["tag"] == "in-2083-grpc");
}

TEST_CASE("the control API adds inbounds from objects or JSON text", "[integration][fake]") {
  served s{api_profile::gen2};
  auto control = s.control();
  json body{
      {"protocol", "vmess"},
      {"port", 2096},
      {"remark", "added"},
      {"settings",
       {{"clients",
         {{{"id", "7c1d7e0e-8b0a-4b52-9b7e-0c8e4d3f2a11"},
           {"email", "added-1"},
           {"subId", "addedsub"}}}}}},
      {"streamSettings",
       json({{"network", "ws"}, {"security", "none"}, {"wsSettings", {{"path", "/a"}}}}).dump()}};
  auto r = control.Post("/_fake/panels/p/inbounds", body.dump(), "application/json");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(body_of(r)["id"] == 3);
  r = control.Post("/_fake/panels/p/inbounds", body.dump(), "application/json");
  CHECK(r->status == 400);
  CHECK(body_of(r)["error"] == "Port already exists: 2096");
  r = control.Post("/_fake/panels/p/inbounds", R"({"port": 1})", "application/json");
  CHECK(r->status == 400);
  CHECK(body_of(r)["error"] == "protocol (a string) is required");
  auto c = s.client();
  r = c.Get("/secret/panel/api/inbounds/get/3", {{"Authorization", "Bearer tok"}});
  auto added = body_of(r)["obj"];
  CHECK(added["remark"] == "added");
  CHECK(added["streamSettings"]["wsSettings"]["path"] == "/a");
  CHECK(added["clientStats"][0]["email"] == "added-1");
}
