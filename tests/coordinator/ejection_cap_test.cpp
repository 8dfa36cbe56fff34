#include "coordinator/ejection_cap.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

namespace {

const ejection_cap::report passive_ejection{true, true, false};
const ejection_cap::report climbing{false, true, true};      // check passed, still unhealthy
const ejection_cap::report back{false, false, true};         // healthy again
const ejection_cap::report check_failed{false, true, false}; // active failure

} // namespace

TEST_CASE("passive ejection holds at most the cap out, at least one", "[coordinator][ejection]") {
  CHECK(ejection_cap{10, 30}.limit() == 3);
  CHECK(ejection_cap{3, 30}.limit() == 1);
  CHECK(ejection_cap{3, 0}.limit() == 1);
  CHECK(ejection_cap{4, 100}.limit() == 4);

  ejection_cap cap{10, 30};
  CHECK(cap.admit("a", passive_ejection));
  CHECK(cap.admit("b", passive_ejection));
  CHECK(cap.admit("c", passive_ejection));
  CHECK(cap.ejected() == 3);
  // The fourth stays in, and so do the reports of its probe climbing back.
  CHECK_FALSE(cap.admit("d", passive_ejection));
  CHECK_FALSE(cap.admit("d", climbing));
  CHECK(cap.admit("d", back));
  CHECK(cap.ejected() == 3);
}

TEST_CASE("an ejected server frees its place when it is back or fails active checks",
          "[coordinator][ejection]") {
  ejection_cap cap{5, 40};
  REQUIRE(cap.admit("a", passive_ejection));
  REQUIRE(cap.admit("b", passive_ejection));
  REQUIRE_FALSE(cap.admit("c", passive_ejection));
  // Still out while climbing back: the place stays taken.
  CHECK(cap.admit("a", climbing));
  CHECK(cap.ejected() == 2);
  CHECK(cap.admit("a", back));
  CHECK(cap.ejected() == 1);
  // Out by active checks now, not by its operations.
  CHECK(cap.admit("b", check_failed));
  CHECK(cap.ejected() == 0);
  CHECK(cap.admit("e", passive_ejection));
}

TEST_CASE("a held server that then fails active checks goes out", "[coordinator][ejection]") {
  ejection_cap cap{2, 10};
  REQUIRE(cap.admit("a", passive_ejection));
  REQUIRE_FALSE(cap.admit("b", passive_ejection));
  CHECK(cap.admit("b", check_failed));
  CHECK(cap.ejected() == 1);
  // Other servers' checks pass through untouched.
  CHECK(cap.admit("c", climbing));
  CHECK(cap.admit("c", back));
}
