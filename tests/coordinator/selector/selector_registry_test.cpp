#include "coordinator/selector/selector_registry.hpp"
#include "tests/coordinator/selector/selector_test_support.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

namespace {

/// A custom strategy: always the server with the highest id among eligible members.
class last_selector : public selector {
public:
  [[nodiscard]] std::string_view name() const noexcept override { return "last"; }

  [[nodiscard]] std::optional<slot_index> select(const fleet_view& view, scope_index scope,
                                                 const request_filter& filter) override {
    const auto& members = view.scope(scope).members;
    for (auto i = members.rbegin(); i != members.rend(); ++i)
      if (filter.accepts(*i, view.slot(*i)))
        return *i;
    return std::nullopt;
  }
};

} // namespace

TEST_CASE("the registry holds the five built-in strategies", "[unit][selector]") {
  auto registry = builtin_selector_registry();
  CHECK(
      registry.names()
      == std::vector<std::string>{"geographic", "least_load", "priority", "random", "round_robin"});
  for (const auto& name : registry.names()) {
    auto made = registry.make(name, {});
    REQUIRE(made);
    CHECK((*made)->name() == name);
  }
}

TEST_CASE("unknown strategies are refused listing the known ones", "[unit][selector]") {
  auto registry = builtin_selector_registry();
  auto made = registry.make("fastest", {});
  REQUIRE_FALSE(made);
  CHECK(code_of(made.error()) == ec::invalid_argument);
  CHECK(message_of(made.error())
        == "unknown strategy \"fastest\"; known: geographic, least_load, priority, random, "
           "round_robin");
}

TEST_CASE("custom strategies register by name at run time and are used", "[unit][selector]") {
  auto engine = healthy_engine(equal_servers(4));
  auto factory = [](const selector_params&) { return std::make_unique<last_selector>(); };
  REQUIRE_FALSE(engine.registry().add("last", factory));
  selection_criteria c;
  c.strategy = "last";
  auto chosen = engine.select(c);
  REQUIRE(chosen);
  CHECK(chosen->server_id == "4");
  CHECK(chosen->strategy == "last");
  c.exclude_ids = {"4"};
  CHECK(pick(engine, c) == "3");
}

TEST_CASE("bad or duplicate custom names are refused", "[unit][selector]") {
  auto registry = builtin_selector_registry();
  auto factory = [](const selector_params&) { return std::make_unique<last_selector>(); };
  auto dup = registry.add("random", factory);
  CHECK(code_of(dup) == ec::conflict);
  CHECK(message_of(dup) == "strategy \"random\" is already registered");
  CHECK(code_of(registry.add("Bad Name", factory)) == ec::invalid_argument);
  CHECK(code_of(registry.add("", factory)) == ec::invalid_argument);
  CHECK(code_of(registry.add("empty", nullptr)) == ec::invalid_argument);
  CHECK_FALSE(registry.contains("Bad Name"));
}

TEST_CASE("a request naming an unknown strategy is an invalid argument", "[unit][selector]") {
  auto engine = healthy_engine(equal_servers(2));
  selection_criteria c;
  c.strategy = "nope";
  CHECK(pick(engine, c) == "error:invalid_argument");
}
