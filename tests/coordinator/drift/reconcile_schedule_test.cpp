#include "coordinator/drift/reconcile_schedule.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace std::chrono_literals;

namespace {

health_report report(int64_t total_clients, int64_t at_ms,
                     check_verdict verdict = check_verdict::passed) {
  health_report r;
  r.server_id = "a";
  r.verdict = verdict;
  r.panel.total_clients = total_clients;
  r.checked_at_ms = at_ms;
  return r;
}

} // namespace

TEST_CASE("a server is reconciled on its return and when its panel lost clients", "[unit][drift]") {
  reconcile_schedule schedule{5min, 10s};
  CHECK(schedule.wants(report(10, 0), true, 10));
  CHECK_FALSE(schedule.wants(report(10, 0), false, 10));
  CHECK_FALSE(schedule.wants(report(10, 0, check_verdict::network_failure), true, 10));
  // Fewer on the panel than recorded.
  CHECK(schedule.wants(report(7, 0), false, 10));
  REQUIRE(schedule.start("a", 1'000));
  // Never twice at once.
  CHECK_FALSE(schedule.start("a", 1'500));
  CHECK_FALSE(schedule.wants(report(7, 2'000), true, 10));
  schedule.finish("a");
  // At most once per check interval for a lower count.
  CHECK_FALSE(schedule.wants(report(7, 10'999), false, 10));
  CHECK(schedule.wants(report(7, 11'000), false, 10));
  CHECK(schedule.wants(report(7, 2'000), true, 10));
}

TEST_CASE("a reconcile interval of 0 turns reconciliation off", "[unit][drift]") {
  reconcile_schedule off{0s, 10s};
  CHECK_FALSE(off.wants(report(0, 0), true, 10));
}
