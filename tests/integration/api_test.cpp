// The HTTP API over real loopback HTTP, in front of a coordinator with three fake panels:
// every route, every error code, auth, idempotency, events and metrics.

#include "tests/integration/api_fleet.hpp"

#include <cstdio>

using namespace fleet;
using namespace fleet::test;
using json = nlohmann::json;

TEST_CASE("every /api/ route needs the bearer token", "[integration][api]") {
  api_fleet f;
  const char* routes[][2] = {
      {"GET", "/api/v1/servers"},
      {"GET", "/api/v1/servers/a"},
      {"GET", "/api/v1/servers/a/health"},
      {"GET", "/api/v1/servers/a/stats"},
      {"POST", "/api/v1/servers/a/drain"},
      {"POST", "/api/v1/servers/a/enable"},
      {"POST", "/api/v1/servers/a/disable"},
      {"GET", "/api/v1/health"},
      {"GET", "/api/v1/stats"},
      {"POST", "/api/v1/select"},
      {"POST", "/api/v1/clients"},
      {"GET", "/api/v1/clients"},
      {"GET", "/api/v1/clients/u1"},
      {"PATCH", "/api/v1/clients/u1"},
      {"DELETE", "/api/v1/clients/u1"},
      {"GET", "/api/v1/events"},
      {"GET", "/api/v1/events/stream"},
      {"GET", "/api/v1/drift"},
      {"GET", "/api/v1/agents"},
  };
  for (const auto& [method, path] : routes) {
    for (auto wrong : {false, true}) {
      INFO(method << " " << path << (wrong ? " with a wrong token" : " without a token"));
      auto c = f.client(false);
      if (wrong)
        c.set_bearer_token_auth("not-the-token");
      httplib::Request req;
      req.method = method;
      req.path = path;
      req.body = "{}";
      req.set_header("Content-Type", "application/json");
      auto a = to_answer(c.send(req));
      CHECK(a.status == 401);
      CHECK(code_of(a) == "unauthenticated");
    }
  }
  // The state did not change behind the refusals.
  CHECK(get(f, "/api/v1/servers/a").body["state"] == "healthy");
  auto open = f.client(false);
  CHECK(to_answer(open.Get("/healthz")).status == 200);
  CHECK(to_answer(open.Get("/metrics")).status == 200);
  CHECK(to_answer(open.Get("/readyz")).status == 200);
}

TEST_CASE("servers, health and stats are listed and changed", "[integration][api]") {
  api_fleet f;
  auto list = get(f, "/api/v1/servers");
  REQUIRE(list.status == 200);
  REQUIRE(list.body["servers"].size() == 3);
  auto a = list.body["servers"][0];
  CHECK(a["id"] == "a");
  CHECK(a["state"] == "healthy");
  CHECK(a["health"]["is_healthy"] == true);
  CHECK(a["health"]["flags"] == json::array());
  CHECK(a["stats"]["max_clients"] == 100);
  CHECK_FALSE(a.contains("password"));
  CHECK(list.text.find("\"pw\"") == std::string::npos);

  CHECK(get(f, "/api/v1/servers/b").body["id"] == "b");
  auto missing = get(f, "/api/v1/servers/zz");
  CHECK(missing.status == 404);
  CHECK(code_of(missing) == "not_found");
  CHECK(get(f, "/api/v1/servers/c/health").body["server_id"] == "c");
  CHECK(get(f, "/api/v1/servers/c/stats").body.contains("total_clients"));
  auto health = get(f, "/api/v1/health");
  CHECK(health.body["servers"].size() == 3);
  auto stats = get(f, "/api/v1/stats");
  CHECK(stats.body["totals"]["max_clients"] == 300);

  auto drained = post(f, "/api/v1/servers/a/drain", "");
  REQUIRE(drained.status == 200);
  CHECK(drained.body["state"] == "draining");
  CHECK(drained.body["health"]["flags"] == json::array({"draining"}));
  CHECK(post(f, "/api/v1/servers/a/disable", "").body["state"] == "disabled");
  CHECK(post(f, "/api/v1/servers/a/enable", "").body["state"] == "healthy");
  CHECK(post(f, "/api/v1/servers/zz/drain", "").status == 404);
}

TEST_CASE("select answers a server or says why not", "[integration][api]") {
  api_fleet f;
  auto chosen = post(f, "/api/v1/select", R"({"user_id": 42, "preferred_id": "b"})");
  REQUIRE(chosen.status == 200);
  CHECK(chosen.body["server_id"] == "b");
  CHECK(chosen.body.contains("load"));
  CHECK(chosen.body.contains("strategy"));
  auto none = post(f, "/api/v1/select", R"({"exclude_ids": ["a", "b", "c"]})");
  CHECK(none.status == 503);
  CHECK(code_of(none) == "no_server_available");
  CHECK(none.body["error"]["details"]["reason"] == "all_excluded");
  CHECK(none.body["error"]["details"]["counts"]["excluded"] == 3);
  // A create that finds no server says why in the same answer.
  auto refused = post(f, "/api/v1/clients",
                      R"({"user_id": 43, "criteria": {"exclude_ids": ["a", "b", "c"]}})");
  CHECK(refused.status == 503);
  CHECK(refused.body["error"]["details"]["reason"] == "all_excluded");
  auto wrong = post(f, "/api/v1/select", R"({"max_load": "high"})");
  CHECK(wrong.status == 400);
  CHECK(code_of(wrong) == "invalid_argument");
  CHECK_THAT(message_of(wrong), Catch::Contains("max_load"));
  auto broken = post(f, "/api/v1/select", R"({"region": )");
  CHECK(broken.status == 400);
  CHECK_THAT(message_of(broken), Catch::Contains("not valid JSON"));
  auto unknown_fields = post(f, "/api/v1/select", R"({"future_field": 1})");
  CHECK(unknown_fields.status == 200);
}

TEST_CASE("clients are created, read, listed, changed and deleted", "[integration][api]") {
  api_fleet f;
  auto created = post(f, "/api/v1/clients", R"({"user_id": "777", "server_id": "b",
                                               "total_gb": 20})");
  REQUIRE(created.status == 201);
  CHECK(created.body["email"] == "u777");
  CHECK(created.body["server_id"] == "b");
  CHECK(created.body["uuid"].get<std::string>().size() == 36);
  CHECK(created.body["total_gb"] == 20);
  CHECK(created.body["enable"] == true);
  CHECK(created.body.contains("created_at"));
  REQUIRE(on_panel(f.fleet, "b", "u777"));

  REQUIRE(f.fleet.panels.find("b")->add_traffic("u777", 10, 20));
  auto read = get(f, "/api/v1/clients/u777");
  REQUIRE(read.status == 200);
  CHECK(read.body["traffic"]["up"] == 10);
  CHECK(read.body["traffic"]["total"] == 30);
  CHECK(read.body["state"] == "healthy");

  for (int i = 1; i <= 3; ++i)
    REQUIRE(post(f, "/api/v1/clients", json{{"user_id", i}}.dump()).status == 201);
  auto page = get(f, "/api/v1/clients?limit=2");
  REQUIRE(page.status == 200);
  CHECK(page.body["clients"].size() == 2);
  REQUIRE(page.body["next"].is_string());
  auto rest = get(f, "/api/v1/clients?limit=2&after=" + page.body["next"].get<std::string>());
  CHECK(rest.body["clients"].size() == 2);
  CHECK(rest.body["next"].is_string());
  auto end = get(f, "/api/v1/clients?limit=2&after=" + rest.body["next"].get<std::string>());
  CHECK(end.body["clients"].empty());
  CHECK(end.body["next"].is_null());
  CHECK(get(f, "/api/v1/clients?user_id=2").body["clients"].size() == 1);
  CHECK(get(f, "/api/v1/clients?server_id=b").body["clients"].size() >= 1);
  CHECK(get(f, "/api/v1/clients?limit=5000").status == 400);

  auto changed = patch(f, "/api/v1/clients/u777", R"({"enable": false, "total_gb": 5})");
  REQUIRE(changed.status == 200);
  CHECK(changed.body["enable"] == false);
  CHECK(changed.body["total_gb"] == 5);
  CHECK(get(f, "/api/v1/clients/u777").body["traffic"]["enable"] == false);

  auto removed = del(f, "/api/v1/clients/u777");
  CHECK(removed.status == 204);
  CHECK_FALSE(on_panel(f.fleet, "b", "u777"));
  CHECK(get(f, "/api/v1/clients/u777").status == 404);
  CHECK(del(f, "/api/v1/clients/u777").status == 404);
  CHECK(patch(f, "/api/v1/clients/nobody", R"({"enable": true})").status == 404);
}

TEST_CASE("bad client requests get the right 4xx and change nothing", "[integration][api]") {
  api_fleet f;
  REQUIRE(post(f, "/api/v1/clients", R"({"user_id": "1"})").status == 201);
  auto before = recorded_clients(f);
  auto adds = [&] {
    return f.fleet.panels.find("a")->counters().value("POST panel/api/inbounds/addClient", 0);
  };
  auto adds_before = adds();
  struct bad {
    const char* body;
    int status;
    const char* code;
    const char* names;
  } cases[] = {
      {R"({"user_id": )", 400, "invalid_argument", "not valid JSON"},
      {R"([1, 2])", 400, "invalid_argument", "JSON object"},
      {R"({})", 400, "invalid_argument", "user_id"},
      {R"({"user_id": "2", "total_gb": "ten"})", 400, "invalid_argument", "total_gb"},
      {R"({"user_id": "2", "total_gb": -1})", 400, "invalid_argument", "total_gb"},
      {R"({"user_id": "2", "expiry_time_ms": -5})", 400, "invalid_argument", "expiry_time_ms"},
      {R"({"user_id": "2", "email": "has space"})", 400, "invalid_argument", "email"},
      {R"({"user_id": "2", "uuid": "not-a-uuid"})", 400, "invalid_argument", "uuid"},
      {R"({"user_id": "2", "criteria": {"max_load": 7}})", 400, "invalid_argument",
       "criteria.max_load"},
      {R"({"user_id": "2", "server_id": "nope"})", 404, "not_found", "nope"},
      {R"({"user_id": "1"})", 409, "conflict", "u1"},
  };
  for (const auto& c : cases) {
    INFO(c.body);
    auto a = post(f, "/api/v1/clients", c.body);
    CHECK(a.status == c.status);
    CHECK(code_of(a) == c.code);
    CHECK_THAT(message_of(a), Catch::Contains(c.names));
  }
  auto huge = post(f, "/api/v1/clients",
                   R"({"user_id": "3", "pad": ")" + std::string(2 << 20, 'x') + "\"}");
  CHECK(huge.status == 413);
  CHECK(code_of(huge) == "payload_too_large");
  CHECK(patch(f, "/api/v1/clients/u1", R"({})").status == 400);
  CHECK(patch(f, "/api/v1/clients/u1", R"({"enable": "yes"})").status == 400);
  auto no_route = get(f, "/api/v1/nothing");
  CHECK(no_route.status == 404);
  CHECK(code_of(no_route) == "not_found");
  CHECK(recorded_clients(f) == before);
  CHECK(adds() == adds_before);
}

TEST_CASE("a retry with the same Idempotency-Key creates nothing twice", "[integration][api]") {
  api_fleet f;
  httplib::Headers key{{"Idempotency-Key", "order-1"}};
  auto first = post(f, "/api/v1/clients", R"({"user_id": "50", "server_id": "a"})", key);
  REQUIRE(first.status == 201);
  auto adds = f.fleet.panels.find("a")->counters().value("POST panel/api/inbounds/addClient", 0);
  // Same body (other spacing and key order): the same answer, no panel call.
  auto again = post(f, "/api/v1/clients", R"({ "server_id": "a",  "user_id": "50" })", key);
  CHECK(again.status == 201);
  CHECK(again.body == first.body);
  CHECK(f.fleet.panels.find("a")->counters().value("POST panel/api/inbounds/addClient", 0) == adds);
  auto other = post(f, "/api/v1/clients", R"({"user_id": "51"})", key);
  CHECK(other.status == 409);
  CHECK_THAT(message_of(other), Catch::Contains("Idempotency-Key"));
  // Kept across a restart.
  f.restart();
  auto after_restart = post(f, "/api/v1/clients", R"({"user_id": "50", "server_id": "a"})", key);
  CHECK(after_restart.status == 201);
  CHECK(after_restart.body == first.body);
  CHECK(recorded_clients(f) == 1);
}

TEST_CASE("events are replayed by cursor, also after a restart", "[integration][api]") {
  api_fleet f;
  REQUIRE(post(f, "/api/v1/clients", R"({"user_id": "9"})").status == 201);
  REQUIRE(post(f, "/api/v1/servers/c/drain", "").status == 200);
  auto all = get(f, "/api/v1/events?after=0&limit=1000");
  REQUIRE(all.status == 200);
  std::vector<std::string> types;
  uint64_t last_seq = 0;
  for (const auto& e : all.body["events"]) {
    CHECK(e["seq"].get<uint64_t>() > last_seq);
    last_seq = e["seq"];
    types.push_back(e["type"]);
  }
  CHECK(std::count(types.begin(), types.end(), "server.healthy") == 3);
  CHECK(std::count(types.begin(), types.end(), "client.created") == 1);
  CHECK(std::count(types.begin(), types.end(), "server.draining") == 1);
  CHECK(all.body["next"] == last_seq);
  auto paged = get(f, "/api/v1/events?after=0&limit=2");
  CHECK(paged.body["events"].size() == 2);
  CHECK(paged.body["next"] == 2);
  CHECK(get(f, "/api/v1/events?after=abc").status == 400);

  f.restart();
  auto replay = get(f, "/api/v1/events?after=0&limit=1000");
  REQUIRE(replay.body["events"].size() >= all.body["events"].size());
  for (size_t i = 0; i < all.body["events"].size(); ++i)
    CHECK(replay.body["events"][i] == all.body["events"][i]);
  // New events continue the sequence.
  REQUIRE(post(f, "/api/v1/servers/c/enable", "").status == 200);
  auto newer = get(f, "/api/v1/events?after=" + std::to_string(last_seq));
  REQUIRE_FALSE(newer.body["events"].empty());
  CHECK(newer.body["events"].back()["type"] == "server.enabled");
}

TEST_CASE("the event stream resumes after Last-Event-ID", "[integration][api]") {
  api_fleet f;
  REQUIRE(post(f, "/api/v1/servers/a/drain", "").status == 200);
  REQUIRE(post(f, "/api/v1/servers/a/enable", "").status == 200);
  auto events = get(f, "/api/v1/events?after=0&limit=1000").body["events"];
  REQUIRE(events.size() >= 2);
  auto resume_after = events[events.size() - 2]["seq"].get<uint64_t>();

  std::string received;
  auto c = f.client();
  httplib::Headers headers{{"Last-Event-ID", std::to_string(resume_after)}};
  // A later event arrives while the stream is open.
  std::thread later{[&] {
    std::this_thread::sleep_for(300ms);
    post(f, "/api/v1/servers/b/drain", "");
  }};
  auto r = c.Get("/api/v1/events/stream", headers, [&](const char* data, size_t n) {
    received.append(data, n);
    return received.find("server.draining\ndata:", received.find("server.enabled"))
           == std::string::npos; // stop after the drain of b
  });
  later.join();
  INFO(received);
  CHECK(received.find("id: " + std::to_string(resume_after) + "\n") == std::string::npos);
  CHECK(received.find("id: " + std::to_string(resume_after + 1) + "\nevent: server.enabled")
        != std::string::npos);
  CHECK(received.find("\"server_id\":\"b\"") != std::string::npos);
  CHECK(
      to_answer(f.client().Get("/api/v1/events/stream", httplib::Headers{{"Last-Event-ID", "x1"}}))
          .status
      == 400);
}

TEST_CASE("metrics are valid Prometheus text", "[integration][api]") {
  api_fleet f;
  REQUIRE(post(f, "/api/v1/select", R"({})").status == 200);
  REQUIRE(post(f, "/api/v1/clients", R"({"user_id": "3"})").status == 201);
  auto metrics = to_answer(f.client(false).Get("/metrics"));
  REQUIRE(metrics.status == 200);
  for (const auto* name :
       {"xui_fleet_server_up{server=\"a\"} 1", "xui_fleet_server_load_ratio",
        "xui_fleet_server_response_time_seconds", "xui_fleet_selections_total{strategy=",
        "xui_fleet_panel_calls_total{operation=\"add_client\",result=\"ok\"} 1",
        "xui_fleet_events_total{type=\"client.created\"} 1", "xui_fleet_http_responses_total"})
    CHECK_THAT(metrics.text, Catch::Contains(name));
  // The create's writes sit in the store's memtables until a flush.
  auto memtables = metrics.text.find("\nxui_fleet_store_memtable_bytes ");
  REQUIRE(memtables != std::string::npos);
  CHECK(std::stoll(metrics.text.substr(memtables + 32)) > 0);
  CHECK(metrics.text.find(token) == std::string::npos);
  test::temp_dir out;
  auto file = out.str() + "/metrics.txt";
  { std::ofstream{file} << metrics.text; }
  auto command = "promtool check metrics < " + file + " 2>&1";
  auto* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string report;
  char line[512];
  while (std::fgets(line, sizeof(line), pipe) != nullptr)
    report += line;
  auto status = pclose(pipe);
  INFO("promtool: " << report);
  CHECK(status == 0);
}

TEST_CASE("readyz says why the coordinator is not ready", "[integration][api]") {
  api_fleet f;
  CHECK(get(f, "/readyz").status == 200);
  for (const auto* id : {"a", "b", "c"})
    f.fleet.panels.find(id)->set_fault({"http500", 0});
  for (const auto* id : {"a", "b", "c"})
    REQUIRE(f.fleet.wait_for_state(id, server_state::unhealthy, 5s) >= 0ms);
  auto ready = get(f, "/readyz");
  CHECK(ready.status == 503);
  CHECK_THAT(ready.body.value("reason", ""), Catch::Contains("no server is healthy"));
}

TEST_CASE("panel failures answer 502 and 504 with the cause", "[integration][api]") {
  api_fleet f;
  f.fleet.panels.find("a")->set_fault({"fail_mutations", 0});
  auto refused = post(f, "/api/v1/clients", R"({"user_id": "1", "server_id": "a"})");
  CHECK(refused.status == 502);
  CHECK(code_of(refused) == "panel_error");
  CHECK_THAT(message_of(refused), Catch::Contains("database is locked"));
  f.fleet.panels.find("a")->set_fault({});

  f.fleet.panels.find("b")->set_fault({"hang", 0});
  auto slow = post(f, "/api/v1/clients", R"({"user_id": "2", "server_id": "b"})");
  CHECK(slow.status == 504);
  CHECK(code_of(slow) == "panel_timeout");
  f.fleet.panels.find("b")->set_fault({});
  CHECK(recorded_clients(f) == 0);
}

TEST_CASE("a token over its rate limit gets 429 with Retry-After", "[integration][api]") {
  api_fleet f{[](fleet_config& c) { c.coordinator.rate_limit = 5; }};
  std::this_thread::sleep_for(1s); // a full bucket
  int admitted = 0;
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 20; ++i) {
    auto r = f.client().Get("/api/v1/servers/a/health");
    REQUIRE(r);
    if (r->status == 200) {
      ++admitted;
    } else if (r->status == 429) {
      ++limited;
      retry_after = r->get_header_value("Retry-After");
      CHECK(code_of(to_answer(r)) == "rate_limited");
    }
  }
  // 5 from the full bucket, and one more per 200 ms the loop takes.
  CHECK(admitted >= 5);
  CHECK(limited >= 5);
  CHECK(limited == 20 - admitted);
  CHECK(retry_after == "1");
  CHECK(to_answer(f.client().Get("/healthz")).status == 200); // not an /api/ route
  std::this_thread::sleep_for(1s);
  CHECK(get(f, "/api/v1/servers/a/health").status == 200);
}

TEST_CASE("a port in use is an error, not a shared port", "[integration][api]") {
  api_fleet f;
  auto config = f.fleet.config;
  config.coordinator.listen = "127.0.0.1:" + std::to_string(f.api->port());
  http_api second{config, *f.fleet.sys, f.fleet.coord, f.fleet.db, f.fleet.rt->events()};
  auto err = second.start();
  REQUIRE(err);
  CHECK_THAT(fleet::message_of(err), Catch::Contains("cannot listen on 127.0.0.1:"));
}

TEST_CASE("stopping the API ends open streams and requests in flight", "[integration][api]") {
  api_fleet f;
  // A create waits on a hanging panel while a stream is open.
  f.fleet.panels.find("a")->set_fault({"hang", 0});
  std::optional<httplib::Result> create;
  std::thread creating{[&] {
    create = f.client().Post("/api/v1/clients", R"({"user_id": "9", "server_id": "a"})",
                             "application/json");
  }};
  bool stream_ended = false;
  std::thread streaming{[&] {
    f.client().Get("/api/v1/events/stream", [](const char*, size_t) { return true; });
    stream_ended = true;
  }};
  std::this_thread::sleep_for(300ms);
  auto started = std::chrono::steady_clock::now();
  f.api->stop();
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  streaming.join();
  creating.join();
  CHECK(stream_ended);
  // The create got no answer or a 500, never a made-up success.
  REQUIRE(create);
  CHECK((!*create || (*create)->status == 500));
  f.fleet.panels.find("a")->set_fault({});
}
