// Messages the coordinator's actors do not understand, as a peer on the agent link may send
// them: logged by their type names only, answered with an error, and the actor goes on.

#include "common/unexpected_messages.hpp"
#include "coordinator/agents/agent_gate.hpp"
#include "tests/coordinator/coordinator_fixture.hpp"
#include "tests/support/log_capture.hpp"

#include <caf/duration.hpp>
#include <caf/sec.hpp>
#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

namespace {

/// A duration whose unit is out of range, as a decoder may produce it from a peer's bytes:
/// CAF 0.17.6's own rendering of it reads a null pointer.
caf::duration bad_duration() {
  return caf::duration{static_cast<caf::time_unit>(200), 7};
}

bool unexpected(const caf::error& err) {
  return err == caf::sec::unexpected_message;
}

} // namespace

TEST_CASE_METHOD(coordinator_fixture,
                 "the coordinator drops a message it does not understand by its type names "
                 "and goes on",
                 "[unit][coordinator][agents]") {
  log_capture logged{"coordinator"};
  start();
  auto dropped = ask<bool>(ds, coordinator, caf::atom("bogus"), bad_duration());
  ds.consume();
  CHECK(unexpected(failure(dropped)));
  CHECK_THAT(logged.text(), Catch::Contains("the coordinator dropped an unexpected message "
                                            "(@atom, @duration) from actor "));
  // Still at work: it answers, and an agent registers.
  CHECK(fleet().size() == 3);
  connect_all();
  CHECK(health("p1").state == server_state::unknown);
}

TEST_CASE_METHOD(coordinator_fixture,
                 "the agent gate drops a message outside its interface and still hands on "
                 "the agent's",
                 "[unit][coordinator][agents]") {
  log_capture logged{"coordinator"};
  start();
  auto gate = caf::actor_cast<caf::actor>(ds.keep(ds.sys().spawn(agent_gate, coordinator)));
  auto dropped = ask<bool>(ds, gate, health_atom_v, bad_duration(), std::string{"a1"});
  ds.consume();
  CHECK(unexpected(failure(dropped)));
  CHECK_THAT(logged.text(),
             Catch::Contains("the agent gate dropped an unexpected message (@atom, @duration, "
                             "@str)"));
  auto hello = ask<uint32_t>(ds, gate, hello_atom_v, protocol_version, std::string{"a1"});
  ds.consume();
  CHECK(value(hello) == protocol_version);
}

TEST_CASE("the type names of a message are read without its content", "[unit][agents]") {
  caf::actor_system_config cfg;
  add_protocol_types(cfg);
  caf::actor_system sys{cfg};
  auto msg = caf::make_message(health_atom_v, bad_duration(), health_report{});
  CHECK(type_names_of(sys, msg) == "(@atom, @duration, fleet::health_report)");
  CHECK(type_names_of(sys, caf::make_message()) == "()");
  // A type this system never registered.
  struct unknown {};
  CHECK(type_names_of(sys, caf::make_message(unknown{})) == "(\?\?\?)");
}
