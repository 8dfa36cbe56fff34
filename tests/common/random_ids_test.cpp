#include "common/random_ids.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>

using namespace fleet;

TEST_CASE("secure uuids are version 4 and never repeat", "[unit][ids]") {
  const std::regex v4{"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"};
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    auto id = secure_uuid();
    CHECK(std::regex_match(id, v4));
    seen.insert(id);
  }
  CHECK(seen.size() == 2000);
}

TEST_CASE("secure tokens use the subscription alphabet evenly", "[unit][ids]") {
  std::map<char, int> letters;
  std::set<std::string> seen;
  for (int i = 0; i < 4000; ++i) {
    auto token = secure_token(16);
    REQUIRE(token.size() == 16);
    seen.insert(token);
    for (char c : token) {
      CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')));
      ++letters[c];
    }
  }
  CHECK(seen.size() == 4000);
  // 64,000 letters over 36: about 1,778 each, and the band is 5 standard deviations either
  // way. Modulo bias (a to d drawn 8 times in 256 instead of 7) would put those near 2,032.
  CHECK(letters.size() == 36);
  for (const auto& [c, n] : letters) {
    CHECK(n > 1570);
    CHECK(n < 1990);
  }
}
