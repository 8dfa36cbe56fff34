#include "coordinator/ledger/renewal_plan.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

namespace {

constexpr int64_t day = 86'400'000;
constexpr int64_t now = 1'800'000'000'000;

plan_limits with(double gb, int64_t expiry) {
  return plan_limits{gb, expiry};
}

} // namespace

TEST_CASE("renewal: gigabytes are added or set, days extend from the later of expiry and now",
          "[ledger]") {
  auto r = with(50, now + 2 * day);
  renewal plan;
  plan.add_gb = 10;
  plan.extend_days = 30;
  auto reset = apply_renewal(plan, now, r);
  REQUIRE(reset);
  CHECK_FALSE(*reset);
  CHECK(r.total_gb == Approx(60));
  CHECK(r.expiry_time_ms == now + 32 * day);
  // Expired ten days ago: the whole term from now.
  auto late = with(50, now - 10 * day);
  renewal month;
  month.extend_days = 30;
  month.set_total_gb = 100;
  month.reset_usage = true;
  auto forget = apply_renewal(month, now, late);
  REQUIRE(forget);
  CHECK(*forget);
  CHECK(late.total_gb == Approx(100));
  CHECK(late.expiry_time_ms == now + 30 * day);
}

TEST_CASE("renewal: adding to an unlimited quota or term is refused, naming the field",
          "[ledger]") {
  auto r = with(0, 0);
  renewal gb;
  gb.add_gb = 5;
  auto refused = apply_renewal(gb, now, r);
  REQUIRE_FALSE(refused);
  CHECK(message_of(refused.error()).rfind("add_gb:", 0) == 0);
  renewal days;
  days.extend_days = 5;
  auto never = apply_renewal(days, now, r);
  REQUIRE_FALSE(never);
  CHECK(message_of(never.error()).rfind("extend_days:", 0) == 0);
  CHECK(r.total_gb == 0);
  renewal set;
  set.set_expiry_time_ms = now + day;
  REQUIRE(apply_renewal(set, now, r));
  CHECK(r.expiry_time_ms == now + day);
}
