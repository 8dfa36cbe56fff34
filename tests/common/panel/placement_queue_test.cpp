#include "common/panel/placement_queue.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace std::chrono_literals;

namespace {

placement_queue queue(size_t max_batch = 100, int64_t max_retries = 2) {
  return placement_queue{"s1", placement_policy{max_batch, max_retries, 100ms}};
}

client_order order(const std::string& email) {
  client_order o;
  o.email = email;
  return o;
}

std::vector<std::string> emails(const placement_attempt& a) {
  std::vector<std::string> out;
  for (const auto& o : a.orders)
    out.push_back(o.email);
  return out;
}

const caf::error unavailable = make_error(ec::panel_unavailable, "HTTP 500");

} // namespace

TEST_CASE("a batch takes what waits, up to max_batch, one batch at a time", "[unit][placement]") {
  auto q = queue(2);
  CHECK_FALSE(q.next().has_value());
  for (const auto* e : {"a", "b", "c"})
    q.enqueue(order(e));
  auto first = q.next();
  REQUIRE(first.has_value());
  CHECK(emails(*first) == std::vector<std::string>{"a", "b"});
  CHECK(first->attempt == 1);
  CHECK_FALSE(first->verify);
  CHECK_FALSE(first->target.has_value());
  q.enqueue(order("d"));
  CHECK_FALSE(q.next().has_value()); // the first batch is still at the panel
  CHECK(q.waiting() == 2);
  auto step = q.finish(placement_outcome{5, "vless", {}});
  CHECK_FALSE(step.retry_after.has_value());
  REQUIRE(step.deliveries.size() == 2);
  auto second = q.next();
  REQUIRE(second.has_value());
  CHECK(emails(*second) == std::vector<std::string>{"c", "d"});
  REQUIRE(second->target.has_value());
  CHECK(second->target->inbound_id == 5);
  CHECK(second->target->protocol == "vless");
}

TEST_CASE("deliveries carry the inbound, a conflict for refused emails, or the error",
          "[unit][placement]") {
  auto q = queue();
  auto a = q.enqueue(order("a"));
  auto b = q.enqueue(order("b"));
  REQUIRE(q.next());
  auto step = q.finish(placement_outcome{3, "vmess", {"b"}});
  REQUIRE(step.deliveries.size() == 2);
  CHECK(step.deliveries[0].ticket == a);
  REQUIRE(step.deliveries[0].result);
  CHECK(*step.deliveries[0].result == 3);
  CHECK(step.deliveries[1].ticket == b);
  REQUIRE_FALSE(step.deliveries[1].result);
  CHECK(code_of(step.deliveries[1].result.error()) == ec::conflict);
  CHECK_THAT(message_of(step.deliveries[1].result.error()),
             Catch::Contains("email b is already used on server s1"));
  CHECK_FALSE(q.busy());

  q.enqueue(order("c"));
  REQUIRE(q.next());
  auto refused = q.finish(make_error(ec::unauthenticated, "login refused"));
  CHECK_FALSE(refused.retry_after.has_value()); // permanent: no retry
  REQUIRE(refused.deliveries.size() == 1);
  CHECK(code_of(refused.deliveries[0].result.error()) == ec::unauthenticated);
  // A failure forgets the target: the next batch looks again.
  q.enqueue(order("d"));
  auto next = q.next();
  REQUIRE(next);
  CHECK_FALSE(next->target.has_value());
}

TEST_CASE("retryable failures are retried max_retries times, retry_delay times the attempt",
          "[unit][placement]") {
  auto q = queue(100, 2);
  auto a = q.enqueue(order("a"));
  REQUIRE(q.next());
  auto step = q.finish(unavailable);
  REQUIRE(step.retry_after.has_value());
  CHECK(*step.retry_after == 100ms);
  CHECK(step.deliveries.empty());
  CHECK(q.busy());
  auto again = q.retry();
  CHECK(again.attempt == 2);
  CHECK(again.verify); // the failed call may have reached the panel
  CHECK(emails(again) == std::vector<std::string>{"a"});
  step = q.finish(make_error(ec::panel_timeout, "timed out"));
  REQUIRE(step.retry_after.has_value());
  CHECK(*step.retry_after == 200ms);
  CHECK(q.retry().attempt == 3);
  step = q.finish(unavailable);
  CHECK_FALSE(step.retry_after.has_value());
  REQUIRE(step.deliveries.size() == 1);
  CHECK(step.deliveries[0].ticket == a);
  CHECK(code_of(step.deliveries[0].result.error()) == ec::panel_unavailable);
  CHECK_FALSE(q.busy());
}

TEST_CASE("a retry that succeeds answers every order of the batch", "[unit][placement]") {
  auto q = queue(100, 0);
  q.enqueue(order("a"));
  REQUIRE(q.next());
  // No retries allowed: the first failure answers.
  CHECK(q.finish(unavailable).deliveries.size() == 1);
  auto r = queue(100, 1);
  r.enqueue(order("a"));
  r.enqueue(order("b"));
  REQUIRE(r.next());
  REQUIRE(r.finish(unavailable).retry_after);
  CHECK(r.retry().verify);
  auto step = r.finish(placement_outcome{2, "trojan", {}});
  REQUIRE(step.deliveries.size() == 2);
  CHECK(*step.deliveries[1].result == 2);
}
