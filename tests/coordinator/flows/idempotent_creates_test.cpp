#include "coordinator/flows/idempotent_creates.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

TEST_CASE("requests with a running key share its answer or conflict", "[unit][flows]") {
  idempotent_creates keyed;
  std::vector<std::string> got;
  auto note = [&](const std::string& who) -> idempotent_creates::answer {
    return [&, who](caf::expected<client_record> x) {
      got.push_back(who + ":" + (x ? x->email : message_of(x.error())));
    };
  };
  auto first = note("first");
  REQUIRE(keyed.join("k1", "d1", first) == idempotent_creates::admission::first);
  keyed.start("k1", "d1", first);
  auto second = note("second");
  CHECK(keyed.join("k1", "d1", second) == idempotent_creates::admission::joined);
  auto other = note("other");
  CHECK(keyed.join("k1", "d2", other) == idempotent_creates::admission::conflict);
  auto unrelated = note("unrelated");
  CHECK(keyed.join("k2", "d2", unrelated) == idempotent_creates::admission::first);
  CHECK(keyed.running() == 1);

  client_record created;
  created.email = "u1";
  for (auto& waiting : keyed.finish("k1"))
    waiting(created);
  CHECK(got == std::vector<std::string>{"first:u1", "second:u1"});
  CHECK(keyed.running() == 0);
  CHECK(keyed.finish("k1").empty());
  // Once finished, the key is the store's to answer: a new request runs first again.
  auto later = note("later");
  CHECK(keyed.join("k1", "d2", later) == idempotent_creates::admission::first);
  CHECK_THAT(message_of(idempotent_creates::conflict_error("k1")),
             Catch::Contains("Idempotency-Key k1") && Catch::Contains("another request body"));
}
