#pragma once

// Catch2 checks on the answers `ask` collects (tests/support/deterministic_system.hpp).

#include "tests/support/deterministic_system.hpp"

#include <catch2/catch.hpp>

namespace fleet::test {

/// The value of an answer that arrived and succeeded.
template <class T>
const T& value(const answer<T>& a) {
  REQUIRE(a->has_value());
  REQUIRE(**a);
  return ***a;
}

/// The error of an answer that arrived and failed.
template <class T>
caf::error failure(const answer<T>& a) {
  REQUIRE(a->has_value());
  REQUIRE_FALSE(**a);
  return (*a)->error();
}

} // namespace fleet::test
