#include "common/open_files.hpp"

#include <catch2/catch.hpp>

#include <sys/resource.h>

using namespace fleet;

TEST_CASE("the soft limit on open files is raised to the hard limit", "[unit]") {
  rlimit l{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &l) == 0);
  // Start below the hard limit, as a default soft limit of 1,024 is.
  if (l.rlim_max > 1024) {
    l.rlim_cur = 1024;
    REQUIRE(setrlimit(RLIMIT_NOFILE, &l) == 0);
  }
  auto first = raise_open_file_limit();
  REQUIRE(getrlimit(RLIMIT_NOFILE, &l) == 0);
  CHECK(first.before == std::min<uint64_t>(1024, l.rlim_max));
  CHECK(first.after == l.rlim_max);
  CHECK(l.rlim_cur == l.rlim_max);
  auto again = raise_open_file_limit();
  CHECK(again.before == l.rlim_max);
  CHECK(again.after == l.rlim_max);
}
