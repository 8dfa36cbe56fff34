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

TEST_CASE("over HTTP, clients over quota or expired read as disabled until an update lifts the "
          "limit",
          "[integration][fake]") {
  served s{api_profile::classic};
  auto c = s.client();
  auto r
      = c.Post("/secret/login", "username=admin&password=pw", "application/x-www-form-urlencoded");
  auto cookie = r->get_header_value("Set-Cookie");
  httplib::Headers h{{"Cookie", cookie.substr(0, cookie.find(';'))}};
  auto client = [](const char* email, const char* id, int64_t total, int64_t expiry) {
    return json{{"id", id},         {"email", email},       {"enable", true},
                {"totalGB", total}, {"expiryTime", expiry}, {"subId", email}};
  };
  auto settings = [](json clients) { return json{{"clients", std::move(clients)}}.dump(); };
  json add{{"id", 1},
           {"settings",
            settings(json::array(
                {client("quota", "11111111-1111-4111-8111-111111111111", 1000, 0),
                 client("late", "22222222-2222-4222-8222-222222222222", 0, 1'000'000'000'000)}))}};
  REQUIRE(body_of(c.Post("/secret/panel/api/inbounds/addClient", h, add.dump(),
                         "application/json"))["success"]
          == true);
  auto control = s.control();
  r = control.Post("/_fake/panels/p/traffic", R"({"email": "quota", "up": 600, "down": 400})",
                   "application/json");
  REQUIRE(r);
  CHECK(r->status == 200);
  // {clientStats enable, settings enable, up + down} of `email` on inbound 1.
  auto state = [&](const std::string& email) {
    auto in = body_of(c.Get("/secret/panel/api/inbounds/list", h))["obj"][0];
    json out = json::array({nullptr, nullptr, nullptr});
    for (const auto& row : in["clientStats"])
      if (row["email"] == email) {
        out[0] = row["enable"];
        out[2] = row["up"].get<int64_t>() + row["down"].get<int64_t>();
      }
    auto settings_of_in = json::parse(in["settings"].get<std::string>());
    for (const auto& entry : settings_of_in["clients"])
      if (entry["email"] == email)
        out[1] = entry["enable"];
    return out;
  };
  CHECK(state("quota") == json::array({false, false, 1000}));
  CHECK(state("late") == json::array({false, false, 0})); // expired in 2001
  json update{
      {"id", 1},
      {"settings",
       settings(json::array({client("quota", "11111111-1111-4111-8111-111111111111", 5000, 0)}))}};
  REQUIRE(body_of(c.Post("/secret/panel/api/inbounds/updateClient/"
                         "11111111-1111-4111-8111-111111111111",
                         h, update.dump(), "application/json"))["success"]
          == true);
  CHECK(state("quota") == json::array({true, true, 1000}));
  update["settings"] = settings(
      json::array({client("late", "22222222-2222-4222-8222-222222222222", 0, 4'000'000'000'000)}));
  REQUIRE(body_of(c.Post("/secret/panel/api/inbounds/updateClient/"
                         "22222222-2222-4222-8222-222222222222",
                         h, update.dump(), "application/json"))["success"]
          == true);
  CHECK(state("late") == json::array({true, true, 0}));
}
