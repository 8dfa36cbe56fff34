#include "coordinator/api/fleet_body_cache.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace fleet;

namespace {

std::vector<server_view> fleet_of(int n) {
  std::vector<server_view> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto& v = out[static_cast<size_t>(i)];
    v.health.server_id = "s" + std::to_string(i);
    v.stats.server_id = v.health.server_id;
    v.stats.total_clients = i;
  }
  return out;
}

std::string render(const server_view& v) {
  return nlohmann::json{{"id", v.health.server_id}, {"clients", v.stats.total_clients}}.dump();
}

} // namespace

TEST_CASE("fleet body cache renders only the servers that changed", "[unit][api]") {
  fleet_body_cache cache{false};
  auto views = fleet_of(3);
  auto first = cache.list(views, 1, render);
  CHECK(cache.renders() == 3);
  auto parsed = nlohmann::json::parse(first);
  REQUIRE(parsed.size() == 3);
  CHECK(parsed[2]["clients"] == 2);
  SECTION("an unchanged fleet is the same text without rendering") {
    CHECK(cache.list(views, 1, render) == first);
    CHECK(cache.renders() == 3);
  }
  SECTION("one changed field of one server renders that server only") {
    views[1].health.response_time = millis{42};
    views[2].stats.total_clients = 7;
    auto next = nlohmann::json::parse(cache.list(views, 1, render));
    CHECK(cache.renders() == 5);
    CHECK(next[2]["clients"] == 7);
    views[0].evacuation.pending = 1;
    CHECK(cache.list(views, 1, render) == cache.list(views, 1, render));
    CHECK(cache.renders() == 6);
  }
  SECTION("a new configuration renders everything again") {
    CHECK(cache.list(views, 2, render) == first);
    CHECK(cache.renders() == 6);
  }
  SECTION("servers added or removed change the list") {
    auto more = fleet_of(4);
    CHECK(nlohmann::json::parse(cache.list(more, 1, render)).size() == 4);
    auto fewer = fleet_of(1);
    CHECK(nlohmann::json::parse(cache.list(fewer, 1, render)).size() == 1);
    CHECK(cache.list({}, 1, render) == "[]");
  }
}

TEST_CASE("fleet body cache keys servers by id when asked", "[unit][api]") {
  fleet_body_cache cache{true};
  auto parsed = nlohmann::json::parse(cache.list(fleet_of(2), 0, render));
  REQUIRE(parsed.is_object());
  CHECK(parsed["s1"]["clients"] == 1);
  CHECK(parsed.size() == 2);
}
