#include "coordinator/flows/intent_queue.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

namespace {

intent_record intent(const std::string& email) {
  intent_record r;
  r.kind = "create";
  r.email = email;
  return r;
}

} // namespace

TEST_CASE("intents announced together are written in one write, in order", "[unit][flows]") {
  intent_queue q;
  std::vector<std::string> ran;
  std::vector<uint64_t> ids;
  auto keep = [&](const std::string& email) {
    return [&, email](caf::expected<uint64_t> id) {
      REQUIRE(id);
      ran.push_back(email);
      ids.push_back(*id);
    };
  };
  CHECK(q.add(intent("a"), keep("a")));
  CHECK_FALSE(q.add(intent("b"), keep("b")));
  CHECK_FALSE(q.add(intent("c"), keep("c")));
  int writes = 0;
  q.flush([&](std::vector<intent_record>& batch) {
    ++writes;
    CHECK(batch.size() == 3);
    for (size_t i = 0; i < batch.size(); ++i)
      batch[i].id = 10 + i;
    return caf::error{};
  });
  CHECK(writes == 1);
  CHECK(ran == std::vector<std::string>{"a", "b", "c"});
  CHECK(ids == std::vector<uint64_t>{10, 11, 12});
  CHECK(q.size() == 0);
  // The next one starts a new group.
  CHECK(q.add(intent("d"), keep("d")));
}

TEST_CASE("a failed write fails every intent of its group, and later ones wait for the next",
          "[unit][flows]") {
  intent_queue q;
  std::vector<std::string> errors;
  intent_queue* queue = &q;
  auto failed = [&](caf::expected<uint64_t> id) {
    REQUIRE_FALSE(id);
    errors.push_back(message_of(id.error()));
    // A continuation that announces again joins the next group, not this one.
    queue->add(intent("again"), [](caf::expected<uint64_t>) {});
  };
  q.add(intent("a"), failed);
  q.add(intent("b"), failed);
  q.flush([](std::vector<intent_record>&) { return make_error(ec::io_error, "disk full"); });
  CHECK(errors == std::vector<std::string>{"disk full", "disk full"});
  CHECK(q.size() == 2);
  int writes = 0;
  q.flush([&](std::vector<intent_record>& batch) {
    ++writes;
    CHECK(batch.size() == 2);
    return caf::error{};
  });
  CHECK(writes == 1);
  // Nothing queued: no write at all.
  q.flush([&](std::vector<intent_record>&) {
    ++writes;
    return caf::error{};
  });
  CHECK(writes == 1);
}
