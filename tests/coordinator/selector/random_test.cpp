#include "coordinator/selector/random.hpp"
#include "tests/coordinator/selector/selector_test_support.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

TEST_CASE("random spreads 100000 picks evenly within a few percent", "[unit][selector]") {
  auto engine = healthy_engine(equal_servers(10, 0), "random", 12345);
  auto counts = place(engine, 100'000);
  REQUIRE(counts.size() == 10);
  for (const auto& [id, n] : counts) {
    INFO(id);
    CHECK(n == Approx(10'000).epsilon(0.03));
  }
}

TEST_CASE("random is reproducible with the same seed and varies with another", "[unit][selector]") {
  auto sequence = [](uint64_t seed) {
    auto engine = healthy_engine(equal_servers(20, 0), "random", seed);
    std::vector<std::string> out;
    for (int i = 0; i < 50; ++i)
      out.push_back(pick(engine));
    return out;
  };
  CHECK(sequence(7) == sequence(7));
  CHECK(sequence(7) != sequence(8));
}

TEST_CASE("random follows weights", "[unit][selector]") {
  auto engine = healthy_engine({server("a", "", 0, 0, 1), server("b", "", 0, 0, 3)}, "random", 3);
  auto counts = place(engine, 40'000);
  CHECK(counts["a"] == Approx(10'000).epsilon(0.05));
  CHECK(counts["b"] == Approx(30'000).epsilon(0.05));
}

TEST_CASE("random draws only eligible servers, even when few are eligible", "[unit][selector]") {
  auto engine = healthy_engine(equal_servers(200, 0), "random", 9);
  selection_criteria c;
  for (int i = 1; i <= 198; ++i)
    c.exclude_ids.push_back(std::to_string(i));
  auto counts = place(engine, 2'000, c);
  REQUIRE(counts.size() == 2);
  CHECK(counts["199"] == Approx(1'000).epsilon(0.1));
  CHECK(counts["200"] == Approx(1'000).epsilon(0.1));
}
