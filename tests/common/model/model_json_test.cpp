#include "common/model/model_json.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using nlohmann::json;

TEST_CASE("server health round-trips with the original field names", "[unit][model]") {
  server_health h;
  h.server_id = "3";
  h.is_healthy = true;
  h.last_check = wall_time{std::chrono::milliseconds{1'795'633'585'000}};
  h.response_time = millis{42};
  h.error_count = 2;
  h.current_load = 0.25;
  h.active_clients = 50;
  h.state = server_state::healthy;
  h.xray_state = "running";
  h.availability = 0.99;
  auto out = to_json(h);
  for (const auto* field : {"server_id", "is_healthy", "last_check", "response_time", "error_count",
                            "current_load", "active_clients"})
    CHECK(out.contains(field));
  CHECK(out["server_id"] == 3);
  CHECK(out["response_time_ms"] == 42);
  CHECK(out["last_check"] == "2026-11-25T19:06:25.000Z");
  server_health back;
  REQUIRE(read(out, back).empty());
  CHECK(to_json(back) == out);
}

TEST_CASE("server stats round-trip with the original field names", "[unit][model]") {
  server_stats s{"de-1", 120, 100, 7, 500, 20.0, 123456789, 7};
  auto out = to_json(s);
  for (const auto* field : {"server_id", "total_clients", "active_clients", "max_clients",
                            "load_percentage", "bytes_transferred", "connections_count"})
    CHECK(out.contains(field));
  CHECK(out["server_id"] == "de-1");
  server_stats back;
  REQUIRE(read(out, back).empty());
  CHECK(to_json(back) == out);
}

TEST_CASE("selection criteria round-trip and reject wrong types", "[unit][model]") {
  auto in = json::parse(R"({"user_id": 12345, "region": "EU", "max_load": 0.5,
    "exclude_ids": [1, "x"], "preferred_id": 2, "min_priority": 3, "strategy": "random"})");
  selection_criteria c;
  REQUIRE(read(in, c).empty());
  CHECK(c.user_id == "12345");
  CHECK(c.exclude_ids == std::vector<std::string>{"1", "x"});
  CHECK(c.preferred_id == "2");
  CHECK(*c.min_priority == 3);
  CHECK(to_json(c) == in);

  selection_criteria bad;
  auto problems
      = read(json::parse(R"({"max_load": 2, "exclude_ids": "1", "min_priority": "high"})"), bad);
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].field == "max_load");
  CHECK(problems[1].field == "exclude_ids");
  CHECK(problems[2].field == "min_priority");
}
