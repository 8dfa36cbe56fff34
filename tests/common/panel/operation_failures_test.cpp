#include "common/error.hpp"
#include "common/panel/operation_failures.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

TEST_CASE("network failures in a row are counted and a success ends the run", "[unit][passive]") {
  operation_failures f{"s1"};
  CHECK_FALSE(f.note(caf::error{}).has_value()); // nothing to end
  for (int64_t i = 1; i <= 3; ++i) {
    auto r = f.note(make_error(ec::panel_unreachable, "connection refused"));
    REQUIRE(r.has_value());
    CHECK(r->server_id == "s1");
    CHECK(r->consecutive_failures == i);
    CHECK_THAT(r->last_error, Catch::Contains("connection refused"));
  }
  auto ended = f.note(caf::error{});
  REQUIRE(ended.has_value());
  CHECK(ended->consecutive_failures == 0);
  CHECK(ended->last_error.empty());
  CHECK_FALSE(f.note(caf::error{}).has_value());
  CHECK(f.count() == 0);
}

TEST_CASE("domain errors say the panel works", "[unit][passive]") {
  operation_failures f{"s1"};
  CHECK_FALSE(f.note(make_error(ec::conflict, "duplicate email")).has_value());
  REQUIRE(f.note(make_error(ec::panel_timeout, "timed out")));
  auto ended = f.note(make_error(ec::not_found, "no such client"));
  REQUIRE(ended.has_value());
  CHECK(ended->consecutive_failures == 0);
}

TEST_CASE("a panel that refuses every change while its checks pass is counted as failing",
          "[unit][passive]") {
  operation_failures f{"s1"};
  for (int64_t i = 1; i <= 2; ++i) {
    auto r = f.note(make_error(ec::panel_error, "add clients: the panel refused: Something "
                                                "went wrong (database is locked)"));
    REQUIRE(r.has_value());
    CHECK(r->consecutive_failures == i);
    CHECK_THAT(r->last_error, Catch::Contains("database is locked"));
  }
  // Mixed with network failures, the run goes on.
  auto r = f.note(make_error(ec::panel_unavailable, "HTTP 500"));
  REQUIRE(r.has_value());
  CHECK(r->consecutive_failures == 3);
  // A duplicate email is about the request: the panel works, and the run ends.
  auto ended = f.note(make_error(ec::conflict, "add clients: Duplicate email: u1"));
  REQUIRE(ended.has_value());
  CHECK(ended->consecutive_failures == 0);
}
