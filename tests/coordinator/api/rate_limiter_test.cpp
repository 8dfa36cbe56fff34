#include "coordinator/api/rate_limiter.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace std::chrono_literals;

TEST_CASE("a bucket admits a burst of one second's worth, then the rate", "[api]") {
  rate_limiter limiter{10, 2};
  auto t0 = rate_limiter::clock::now();
  for (int i = 0; i < 10; ++i)
    CHECK(limiter.admit(0, t0) == 0);
  auto wait = limiter.admit(0, t0);
  CHECK(wait == 100);
  CHECK(limiter.admit(1, t0) == 0); // another token has its own bucket
  CHECK(limiter.admit(0, t0 + 100ms) == 0);
  CHECK(limiter.admit(0, t0 + 100ms) > 0);
  // Idle time refills up to the burst, not beyond.
  for (int i = 0; i < 10; ++i)
    CHECK(limiter.admit(0, t0 + 60s) == 0);
  CHECK(limiter.admit(0, t0 + 60s) > 0);
}

TEST_CASE("a rate of 0 admits everything", "[api]") {
  rate_limiter limiter{0, 1};
  auto t0 = rate_limiter::clock::now();
  for (int i = 0; i < 1000; ++i)
    REQUIRE(limiter.admit(0, t0) == 0);
}
