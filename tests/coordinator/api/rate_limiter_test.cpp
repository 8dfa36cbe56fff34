#include "coordinator/api/address_rate_limiter.hpp"
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

TEST_CASE("addresses have buckets of their own, and their number is bounded", "[api]") {
  address_rate_limiter limiter{1.0, 2.0, 3};
  auto t0 = address_rate_limiter::clock::now();
  CHECK(limiter.admit("10.0.0.1", t0) == 0);
  CHECK(limiter.admit("10.0.0.1", t0) == 0);
  CHECK(limiter.admit("10.0.0.1", t0) > 0);
  // Another address is not held back by the first one.
  CHECK(limiter.admit("10.0.0.2", t0) == 0);
  CHECK(limiter.admit("10.0.0.3", t0) == 0);
  CHECK(limiter.tracked() == 3);
  // A fourth address, with none of the buckets refilled: the table starts afresh.
  CHECK(limiter.admit("10.0.0.4", t0) == 0);
  CHECK(limiter.tracked() == 1);
  // Quiet addresses (full buckets) are the ones dropped.
  auto later = t0 + 5s;
  CHECK(limiter.admit("10.0.0.5", later) == 0);
  CHECK(limiter.admit("10.0.0.6", later) == 0);
  CHECK(limiter.admit("10.0.0.6", later) == 0);
  CHECK(limiter.admit("10.0.0.7", later) == 0);
  CHECK(limiter.tracked() <= 3);
  CHECK(limiter.admit("10.0.0.6", later) > 0); // kept: its bucket is empty
}
