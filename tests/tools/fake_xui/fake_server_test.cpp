// The emulator over HTTP: status codes and envelopes of the reference (3x-ui-api.md §10).

#include "tests/tools/fake_xui/served_panel.hpp"
#include "tools/fake_xui/panel_options_parser.hpp"

using namespace fleet::fake;

using fleet::fake::test::body_of;
using fleet::fake::test::served;

TEST_CASE("unauthenticated API calls get an empty 404, or 401 for XHR on v3",
          "[integration][fake]") {
  served s{api_profile::classic_csrf};
  auto c = s.client();
  auto r = c.Get("/secret/panel/api/inbounds/list");
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(r->body.empty());
  r = c.Get("/secret/panel/api/inbounds/list", {{"X-Requested-With", "XMLHttpRequest"}});
  CHECK(r->status == 401);
  CHECK(r->body.empty());
  r = c.Get("/other/panel/api/inbounds/list", {{"Authorization", "Bearer tok"}});
  CHECK(r->status == 404);
  r = c.Get("/secret/panel/api/inbounds/list", {{"Authorization", "Bearer tok"}});
  CHECK(r->status == 200);
  CHECK(body_of(r)["success"] == true);
}

TEST_CASE("logins answer HTTP 200 with success true or false", "[integration][fake]") {
  served s{api_profile::classic};
  auto c = s.client();
  auto r
      = c.Post("/secret/login", "username=admin&password=bad", "application/x-www-form-urlencoded");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(
      r->body
      == R"({"success":false,"msg":"Invalid username or password or two-factor code.","obj":null})");
  r = c.Post("/secret/login", R"({"username":"admin"})", "application/json");
  CHECK(body_of(r)["msg"] == "Password is required");
  r = c.Post("/secret/login", "username=admin&password=pw", "application/x-www-form-urlencoded");
  CHECK(body_of(r)["msg"] == " You have successfully logged into your account.");
  auto cookie = r->get_header_value("Set-Cookie");
  CHECK(cookie.rfind("3x-ui=", 0) == 0);
  CHECK(cookie.find("Path=/secret/; Max-Age=21600; HttpOnly; SameSite=Lax") != std::string::npos);
}

TEST_CASE("v3 panels refuse POSTs without the CSRF token with an empty 403",
          "[integration][fake]") {
  served s{api_profile::gen2};
  auto c = s.client();
  auto r
      = c.Post("/secret/login", "username=admin&password=pw", "application/x-www-form-urlencoded");
  REQUIRE(r);
  CHECK(r->status == 403);
  CHECK(r->body.empty());
  r = c.Get("/secret/csrf-token");
  auto token = body_of(r)["obj"].get<std::string>();
  CHECK_FALSE(body_of(r).contains("msg"));
  auto cookie = r->get_header_value("Set-Cookie");
  httplib::Headers h{{"Cookie", cookie.substr(0, cookie.find(';'))}, {"X-CSRF-Token", token}};
  r = c.Post("/secret/login", h, "username=admin&password=pw", "application/x-www-form-urlencoded");
  CHECK(body_of(r)["msg"] == "You have successfully logged into your account.");
  auto session = r->get_header_value("Set-Cookie");
  httplib::Headers no_token{{"Cookie", session.substr(0, session.find(';'))}};
  r = c.Post("/secret/panel/api/clients/onlines", no_token, "", "application/json");
  CHECK(r->status == 403);
  no_token.emplace("X-CSRF-Token", token);
  r = c.Post("/secret/panel/api/clients/onlines", no_token, "", "application/json");
  CHECK(r->status == 200);
  CHECK(body_of(r)["obj"] == nlohmann::json::array());
}

TEST_CASE("classic quirks: settings strings, 500 without clients, gen2 routes absent",
          "[integration][fake]") {
  served s{api_profile::classic, [](panel_options& p) { p.cookie_name = "session"; }};
  auto c = s.client();
  auto r
      = c.Post("/secret/login", "username=admin&password=pw", "application/x-www-form-urlencoded");
  auto cookie = r->get_header_value("Set-Cookie");
  CHECK(cookie.rfind("session=", 0) == 0);
  httplib::Headers h{{"Cookie", cookie.substr(0, cookie.find(';'))}};
  r = c.Get("/secret/panel/api/inbounds/list", h);
  CHECK(body_of(r)["obj"][0]["settings"].is_string());
  r = c.Get("/secret/panel/api/inbounds/get/1", h);
  CHECK(body_of(r)["obj"]["clientStats"].is_null());
  r = c.Get("/secret/panel/api/inbounds/get/7", h);
  CHECK(body_of(r)["msg"] == "Obtain (record not found)");
  r = c.Post("/secret/panel/api/inbounds/addClient", h, R"({"id":1,"settings":"{}"})",
             "application/json");
  CHECK(r->status == 500);
  CHECK(r->body.empty());
  r = c.Post("/secret/panel/api/inbounds/addClient", h, R"({"id":1,"settings":{"clients":[]}})",
             "application/json");
  CHECK(body_of(r)["msg"]
        == "Inbound client(s) have been added. (json: cannot unmarshal object into Go struct field "
           "Inbound.settings of type string)");
  r = c.Get("/secret/panel/api/clients/list", h);
  CHECK(r->status == 404);
  r = c.Get("/secret/panel/api/inbounds/addClient", h);
  CHECK(r->status == 404);
}

TEST_CASE("request counters count per route", "[integration][fake]") {
  served s{api_profile::gen2};
  auto c = s.client();
  httplib::Headers h{{"Authorization", "Bearer tok"}};
  for (int i = 0; i < 3; ++i)
    c.Get("/secret/panel/api/server/status", h);
  auto counters = s.server.find("p")->counters();
  CHECK(counters["GET panel/api/server/status"] == 3);
  CHECK(counters["total"] == 3);
}

TEST_CASE("the worker threads of every port follow --threads", "[integration][fake]") {
  auto cl = parse_command_line({"--threads", "2", "--panels", "3"});
  REQUIRE(cl.error.empty());
  CHECK(cl.threads == 2);
  CHECK(parse_command_line({"--panels", "1"}).threads == 1024);
  CHECK(parse_command_line({"--threads", "0", "--panels", "1"}).error
        == "--threads needs a count 1..1024");
  CHECK(parse_command_line({"--threads", "x", "--panels", "1"}).error
        == "--threads needs a count 1..1024");
  // One worker serves requests one after another on one port.
  fake_server server;
  server.set_worker_threads(1);
  server.set_keep_alive(1);
  panel_options p;
  p.name = "p";
  p.base_path = "/secret/";
  p.password = "pw";
  server.add_panel(p);
  REQUIRE(server.start().empty());
  for (int i = 0; i < 3; ++i) {
    httplib::Client c{"127.0.0.1", server.find("p")->options().port};
    auto r = c.Post("/secret/login", "username=admin&password=pw",
                    "application/x-www-form-urlencoded");
    REQUIRE(r);
    CHECK(body_of(r)["success"] == true);
  }
}
