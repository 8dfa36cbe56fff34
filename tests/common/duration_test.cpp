#include "common/duration.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace std::chrono_literals;

TEST_CASE("durations of the original format parse", "[unit][config]") {
  CHECK(parse_duration("30s").value() == 30s);
  CHECK(parse_duration("10s").value() == 10s);
  CHECK(parse_duration("500ms").value() == 500ms);
  CHECK(parse_duration("1m").value() == 1min);
  CHECK(parse_duration("2h").value() == 2h);
  CHECK(parse_duration("1m30s").value() == 90s);
  CHECK(parse_duration("1.5s").value() == 1500ms);
  CHECK(parse_duration("0s").value() == 0ms);
}

TEST_CASE("malformed durations are refused with the reason", "[unit][config]") {
  for (const auto* bad : {"", "30", "s", "10x", "1..5s", "-5s", "5 s", "ms10"}) {
    INFO(bad);
    auto parsed = parse_duration(bad);
    REQUIRE_FALSE(parsed);
    CHECK(code_of(parsed.error()) == ec::invalid_argument);
    CHECK_THAT(message_of(parsed.error()), Catch::Contains("is not a duration"));
  }
  CHECK_THAT(message_of(parse_duration("30").error()), Catch::Contains("missing unit"));
  CHECK_THAT(message_of(parse_duration("10x").error()), Catch::Contains("unknown unit \"x\""));
}

TEST_CASE("durations format back to the same notation", "[unit][config]") {
  CHECK(format_duration(30s) == "30s");
  CHECK(format_duration(500ms) == "500ms");
  CHECK(format_duration(90s) == "1m30s");
  CHECK(format_duration(1h) == "1h");
  CHECK(format_duration(1500ms) == "1500ms");
  CHECK(format_duration(0ms) == "0s");
  for (auto d : {30s, 90s, 3600s})
    CHECK(parse_duration(format_duration(d)).value() == d);
  CHECK(parse_duration(format_duration(1500ms)).value() == 1500ms);
}
