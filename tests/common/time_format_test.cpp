#include "common/time_format.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

TEST_CASE("times format as RFC 3339 UTC and parse back", "[unit]") {
  wall_time t{std::chrono::milliseconds{1'795'633'585'123}};
  auto text = to_rfc3339(t);
  CHECK(text == "2026-11-25T19:06:25.123Z");
  CHECK(parse_rfc3339(text).value() == t);
  CHECK(to_unix_ms(parse_rfc3339("1970-01-01T00:00:00Z").value()) == 0);
  CHECK(to_unix_ms(parse_rfc3339("1970-01-01T01:00:00+01:00").value()) == 0);
  CHECK(to_unix_ms(parse_rfc3339("2000-02-29T12:00:00.5Z").value()) == 951'825'600'500);
}

TEST_CASE("malformed times are refused", "[unit]") {
  for (const auto* bad : {"", "2026-11-25", "2026-11-25T16:26:25", "2026-13-01T00:00:00Z",
                          "2026-11-25T16:26:25.Z", "yesterday"}) {
    INFO(bad);
    CHECK_FALSE(parse_rfc3339(bad));
  }
}
