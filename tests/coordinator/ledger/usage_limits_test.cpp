#include "coordinator/ledger/usage_limits.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

TEST_CASE("limits: the quota stops a client at the byte, the expiry at the millisecond",
          "[ledger]") {
  client_terms t{1'000, 50'000};
  CHECK(limit_of(t, 999, 49'999) == limit_reason::none);
  CHECK(limit_of(t, 1'000, 49'999) == limit_reason::quota);
  CHECK(limit_of(t, 10, 50'000) == limit_reason::expired);
  // Both: the quota is named.
  CHECK(limit_of(t, 2'000, 60'000) == limit_reason::quota);
  CHECK(limit_of(client_terms{}, 1'000'000'000'000, 1) == limit_reason::none);
}

TEST_CASE("limits: remaining bytes never go negative, unlimited has none", "[ledger]") {
  CHECK(remaining_bytes(client_terms{1'000, 0}, 400) == 600);
  CHECK(remaining_bytes(client_terms{1'000, 0}, 4'000) == 0);
  CHECK_FALSE(remaining_bytes(client_terms{0, 0}, 4'000).has_value());
}

TEST_CASE("limits: the panel's quota is its own count plus what is left fleet-wide", "[ledger]") {
  client_terms t{1'000, 0};
  // A client that used 300 bytes elsewhere and 200 here: the panel may count 700 in all.
  CHECK(panel_quota(t, 500, 200) == 700);
  // A fresh copy after a move: what is left.
  CHECK(panel_quota(t, 300, 0) == 700);
  // Used up on a new panel: not 0, which the panel reads as unlimited.
  CHECK(panel_quota(t, 1'000, 0) == 1);
  CHECK(panel_quota(t, 5'000, 40) == 40);
  CHECK(panel_quota(client_terms{}, 5'000, 40) == 0);
}

TEST_CASE("limits: gigabytes are GiB, as the panel counts them", "[ledger]") {
  CHECK(bytes_of_gb(1.0) == 1'073'741'824);
  CHECK(bytes_of_gb(0.5) == 536'870'912);
  CHECK(bytes_of_gb(-1.0) == 0);
  CHECK(parse_limit_reason(to_string(limit_reason::quota)) == limit_reason::quota);
  CHECK(parse_limit_reason(to_string(limit_reason::expired)) == limit_reason::expired);
  CHECK(parse_limit_reason("") == limit_reason::none);
  CHECK(parse_limit_reason("bogus") == limit_reason::none);
}
