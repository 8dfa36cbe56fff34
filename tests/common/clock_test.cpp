#include "common/clock.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace std::chrono_literals;

TEST_CASE("a manual clock moves both clocks only when told to", "[unit][clock]") {
  manual_clock c{1'000};
  auto steady = c.steady();
  CHECK(c.wall_ms() == 1'000);
  c.advance(250ms);
  CHECK(c.wall_ms() == 1'250);
  CHECK(c.steady() - steady == 250ms);
}

TEST_CASE("the real clock reads the system's clocks", "[unit][clock]") {
  const auto& c = real_clock();
  auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  auto wall = c.wall_ms();
  CHECK(wall >= before);
  CHECK(wall - before < 60'000);
  auto steady = c.steady();
  CHECK(steady <= std::chrono::steady_clock::now());
}
