// Usage and limits over the HTTP API: renewals and usage resets with their refusals, a bot
// user's clients, hourly series of clients and servers, and the ledger's figures in stats and
// metrics.

#include "tests/integration/api_fleet.hpp"

using namespace fleet;
using namespace fleet::test;

namespace {

/// Creates a client of `user_id` on `server` with `gb` of quota; returns its email.
std::string created(api_fleet& f, int user_id, const std::string& server, double gb) {
  auto a = post(
      f, "/api/v1/clients",
      json{{"user_id", std::to_string(user_id)}, {"server_id", server}, {"total_gb", gb}}.dump());
  REQUIRE(a.status == 201);
  return a.body.at("email").get<std::string>();
}

/// Waits until the ledger has charged `total` bytes to `email`.
bool charged(api_fleet& f, const std::string& email, int64_t total) {
  return eventually([&] {
    auto a = get(f, "/api/v1/clients/" + email);
    return a.status == 200 && a.body["usage"]["total"] == total;
  });
}

} // namespace

TEST_CASE("renewals over the API: what changes, what is refused, naming the field",
          "[integration][api][ledger]") {
  api_fleet f;
  auto email = created(f, 1, "a", 1.0);
  REQUIRE(f.fleet.panels.find("a")->add_traffic(email, 1'000, 3'000));
  REQUIRE(charged(f, email, 4'000));
  auto shown = get(f, "/api/v1/clients/" + email);
  CHECK(shown.body["usage"]["up"] == 1'000);
  CHECK(shown.body["usage"]["by_server"]["a"]["total"] == 4'000);
  CHECK(shown.body["remaining_bytes"] == 1'073'741'824 - 4'000);
  CHECK(shown.body["limited"].is_null());

  struct bad {
    const char* body;
    const char* names;
  } cases[] = {
      {R"({})", "nothing to renew"},
      {R"({"add_gb": -1})", "add_gb"},
      {R"({"add_gb": "ten"})", "add_gb"},
      {R"({"set_total_gb": 1e12})", "set_total_gb"},
      {R"({"extend_days": 0})", "extend_days"},
      {R"({"extend_days": 1.5})", "extend_days"},
      {R"({"set_expiry_time_ms": -1})", "set_expiry_time_ms"},
      {R"({"add_gb": 1, "set_total_gb": 2})", "add_gb"},
      {R"({"reset_usage": "yes"})", "reset_usage"},
      // A client without an expiry has no term to extend.
      {R"({"extend_days": 30})", "extend_days"},
  };
  auto updates = [&] {
    return f.fleet.panels.find("a")->counters().value("POST panel/api/inbounds/updateClient/:key",
                                                      0);
  };
  auto updates_before = updates();
  for (const auto& c : cases) {
    INFO(c.body);
    auto a = post(f, "/api/v1/clients/" + email + "/renew", c.body);
    CHECK(a.status == 400);
    CHECK(code_of(a) == "invalid_argument");
    CHECK_THAT(message_of(a), Catch::Contains(c.names));
  }
  CHECK(updates() == updates_before);
  auto unknown = post(f, "/api/v1/clients/nobody/renew", R"({"add_gb": 1})");
  CHECK(unknown.status == 404);
  CHECK(code_of(unknown) == "not_found");

  auto renewed = post(f, "/api/v1/clients/" + email + "/renew",
                      R"({"add_gb": 1, "set_expiry_time_ms": 4000000000000})");
  REQUIRE(renewed.status == 200);
  CHECK(renewed.body["total_gb"] == 2.0);
  CHECK(renewed.body["expiry_time_ms"] == 4'000'000'000'000);
  CHECK(renewed.body["usage"]["total"] == 4'000);
  auto reset = post(f, "/api/v1/clients/" + email + "/reset-usage", "{}");
  REQUIRE(reset.status == 200);
  CHECK(reset.body["usage"]["total"] == 0);
  CHECK(reset.body["remaining_bytes"] == 2 * 1'073'741'824LL);
  CHECK(updates() == updates_before + 2);
}

TEST_CASE("limit_ip is kept and refused out of range", "[integration][api][ledger]") {
  api_fleet f;
  auto a = post(f, "/api/v1/clients", R"({"user_id": "9", "server_id": "b", "limit_ip": 3})");
  REQUIRE(a.status == 201);
  CHECK(a.body["limit_ip"] == 3);
  CHECK(patch(f, "/api/v1/clients/u9", R"({"limit_ip": 1})").body["limit_ip"] == 1);
  auto bad = patch(f, "/api/v1/clients/u9", R"({"limit_ip": -1})");
  CHECK(bad.status == 400);
  CHECK_THAT(message_of(bad), Catch::Contains("limit_ip"));
  CHECK(post(f, "/api/v1/clients", R"({"user_id": "10", "limit_ip": 1e9})").status == 400);
  CHECK(get(f, "/api/v1/clients/u9").body["limit_ip"] == 1);
}

TEST_CASE("a bot user's clients, hourly series and the ledger's stats over the API",
          "[integration][api][ledger]") {
  api_fleet f;
  auto first = created(f, 7, "a", 0);
  auto second
      = post(f, "/api/v1/clients", R"({"user_id": "7", "email": "u7-b", "server_id": "c"})");
  REQUIRE(second.status == 201);
  REQUIRE(f.fleet.panels.find("a")->add_traffic(first, 100, 200));
  REQUIRE(f.fleet.panels.find("c")->add_traffic("u7-b", 1'000, 0));
  REQUIRE(charged(f, first, 300));
  REQUIRE(charged(f, "u7-b", 1'000));

  auto user = get(f, "/api/v1/users/7");
  REQUIRE(user.status == 200);
  CHECK(user.body["clients"].size() == 2);
  CHECK(user.body["usage"]["total"] == 1'300);
  CHECK(get(f, "/api/v1/users/404").status == 404);

  auto series = get(f, "/api/v1/clients/" + first + "/usage?step=1h");
  REQUIRE(series.status == 200);
  CHECK(series.body["points"].size() == 24);
  int64_t sum = 0;
  for (const auto& p : series.body["points"])
    sum += p["total"].get<int64_t>();
  CHECK(sum == 300);
  auto server = get(f, "/api/v1/servers/c/usage?from=0");
  REQUIRE(server.status == 200);
  CHECK(server.body["points"].size() > 24); // from is raised to the 35 days kept
  CHECK(server.body["points"].back()["total"] == 1'000);
  CHECK(get(f, "/api/v1/clients/nobody/usage").status == 404);
  CHECK(get(f, "/api/v1/servers/nope/usage").status == 404);
  CHECK(get(f, "/api/v1/servers/a/usage?step=5m").status == 400);
  CHECK(get(f, "/api/v1/servers/a/usage?from=tomorrow").status == 400);

  auto stats = get(f, "/api/v1/stats");
  CHECK(stats.body["servers"]["a"]["bytes_transferred"] == 300);
  CHECK(stats.body["servers"]["c"]["bytes_transferred"] == 1'000);
  auto metrics = f.client().Get("/metrics");
  REQUIRE(metrics);
  CHECK_THAT(metrics->body,
             Catch::Contains("xui_fleet_server_bytes_total{server=\"a\",direction=\"down\"} 200"));
  CHECK_THAT(metrics->body, Catch::Contains("xui_fleet_foreign_clients{server=\"a\"} 2"));
}
