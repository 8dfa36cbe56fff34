// What the web dashboard needs from the API: its files under /ui/ (no token, cache headers,
// a Content-Security-Policy), the health history of a server and the newest events.

#include "tests/integration/api_fleet.hpp"

using namespace fleet;
using namespace fleet::test;

TEST_CASE("the dashboard's files are served without a token, with an ETag and a CSP",
          "[integration][api][ui]") {
  api_fleet f;
  auto c = f.client(false);
  auto index = c.Get("/ui/");
  REQUIRE(index);
  CHECK(index->status == 200);
  CHECK(index->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(index->body.find("<script type=\"module\" src=\"app.js\">") != std::string::npos);
  auto csp = index->get_header_value("Content-Security-Policy");
  CHECK(csp.find("script-src 'self'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(index->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(index->get_header_value("Cache-Control") == "no-cache");
  auto etag = index->get_header_value("ETag");
  REQUIRE(etag.size() > 2);

  auto again = c.Get("/ui/", {{"If-None-Match", etag}});
  REQUIRE(again);
  CHECK(again->status == 304);
  CHECK(again->body.empty());
  auto other = c.Get("/ui/", {{"If-None-Match", "\"something-else\""}});
  REQUIRE(other);
  CHECK(other->status == 200);

  auto chart = c.Get("/ui/chart.js");
  REQUIRE(chart);
  CHECK(chart->status == 200);
  CHECK(chart->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(chart->body.find("Chart.js") != std::string::npos);
  CHECK(chart->get_header_value("ETag") != etag);
  auto script = c.Get("/ui/app.js");
  REQUIRE(script);
  CHECK(script->status == 200);

  auto missing = c.Get("/ui/secret.txt");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  auto bare = c.Get("/ui");
  REQUIRE(bare);
  CHECK(bare->status == 308);
  CHECK(bare->get_header_value("Location") == "/ui/");
  // The API itself still wants the token.
  auto api = c.Get("/api/v1/servers");
  REQUIRE(api);
  CHECK(api->status == 401);
}

TEST_CASE("a server's health history counts its checks per minute, failed ones too",
          "[integration][api][ui]") {
  api_fleet f;
  REQUIRE(eventually([&] {
    auto h = get(f, "/api/v1/servers/a/health-history");
    return h.status == 200 && !h.body["points"].empty() && h.body["points"].back()["checks"] >= 2;
  }));
  auto h = get(f, "/api/v1/servers/a/health-history");
  CHECK(h.body["server_id"] == "a");
  CHECK(h.body["step"] == "1m");
  CHECK(h.body["to_ms"].get<int64_t>() - h.body["from_ms"].get<int64_t>() == 24 * 3'600'000);
  const auto& last = h.body["points"].back();
  CHECK(last["time_ms"].get<int64_t>() % 60'000 == 0);
  CHECK(last["availability"] == 1.0);
  CHECK(last["passed"] == last["checks"]);

  f.fleet.panels.find("b")->set_fault({"http500", 0});
  REQUIRE(eventually([&] {
    auto b = get(f, "/api/v1/servers/b/health-history");
    return b.status == 200 && !b.body["points"].empty()
           && b.body["points"].back()["passed"] < b.body["points"].back()["checks"];
  }));
  f.fleet.panels.find("b")->set_fault({});
  auto unknown = get(f, "/api/v1/servers/nope/health-history");
  CHECK(unknown.status == 404);
  CHECK(code_of(unknown) == "not_found");
}

TEST_CASE("the newest events with tail, and the stream resumes after them",
          "[integration][api][ui]") {
  api_fleet f;
  for (int i = 0; i < 3; ++i)
    REQUIRE(post(f, "/api/v1/clients", json{{"user_id", std::to_string(70 + i)}}.dump()).status
            == 201);
  auto all = get(f, "/api/v1/events?limit=1000");
  REQUIRE(all.status == 200);
  auto newest = all.body["next"].get<uint64_t>();
  REQUIRE(all.body["events"].size() >= 3);

  auto tail = get(f, "/api/v1/events?tail=2");
  REQUIRE(tail.status == 200);
  REQUIRE(tail.body["events"].size() == 2);
  CHECK(tail.body["events"][1]["seq"] == newest);
  CHECK(tail.body["events"][1]["type"] == "client.created");
  CHECK(tail.body["next"] == newest);
  CHECK(get(f, "/api/v1/events?tail=100000").status == 400);
  CHECK(get(f, "/api/v1/events?tail=5000").status == 400);
  auto everything = get(f, "/api/v1/events?tail=1000");
  CHECK(everything.body["events"].size() == all.body["events"].size());
}
