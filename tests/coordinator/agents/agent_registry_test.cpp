#include "common/error.hpp"
#include "coordinator/agents/agent_registry.hpp"
#include "tests/coordinator/agents/stand_in.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>
#include <catch2/catch.hpp>

using namespace fleet;

namespace {

server_config server(std::string id, std::string agent, bool enabled = true) {
  server_config s;
  s.id = std::move(id);
  s.agent = std::move(agent);
  s.enabled = enabled;
  return s;
}

} // namespace

TEST_CASE("an agent is admitted by id and protocol version", "[unit][agents]") {
  agent_registry agents{{server("p1", ""), server("p2", "a1"), server("p3", "off", false)}};
  CHECK_FALSE(agents.admit(protocol_version, "a1"));
  // An agent whose servers are all disabled is known (it serves nothing for now).
  CHECK_FALSE(agents.admit(protocol_version, "off"));
  auto stranger = agents.admit(protocol_version, "a9");
  CHECK(code_of(stranger) == ec::not_found);
  CHECK(message_of(stranger).find("names agent \"a9\"") != std::string::npos);
  auto old = agents.admit(protocol_version + 1, "a1");
  CHECK(code_of(old) == ec::invalid_argument);
  CHECK(message_of(old)
        == "agent a1 speaks protocol " + std::to_string(protocol_version + 1)
               + " but this coordinator speaks " + std::to_string(protocol_version)
               + "; run the same release of fleet-agent and fleet-coordinator");
  CHECK(agents.agent_of("p1") == nullptr);
  REQUIRE(agents.agent_of("p2") != nullptr);
  CHECK(*agents.agent_of("p2") == "a1");
  CHECK(agents.agent_of("p3") == nullptr);
}

TEST_CASE("a registered agent speaks for its own servers only and only until it leaves",
          "[unit][agents]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto a1 = sys.spawn(test::stand_in, std::string{"a1"});
  auto a2 = sys.spawn(test::stand_in, std::string{"a2"});
  auto probe = sys.spawn(test::stand_in, std::string{"probe"});
  agent_registry agents{{server("p1", "a1"), server("p2", "a1"), server("p3", "a2")}};
  auto joined = agents.join(
      "a1", a1,
      {{"p1", test::as_probe(probe)}, {"p3", test::as_probe(probe)}, {"p9", test::as_probe(probe)}},
      0);
  REQUIRE(joined.accepted.size() == 1);
  CHECK(joined.accepted[0].server_id == "p1");
  CHECK(joined.ignored == std::vector<std::string>{"p3", "p9"});
  CHECK(joined.missing == std::vector<std::string>{"p2"});
  CHECK_FALSE(joined.replaced);
  CHECK_FALSE(joined.renewed);
  CHECK(agents.connected("a1"));
  CHECK(agents.speaks_for(a1.address(), "p1"));
  CHECK_FALSE(agents.speaks_for(a1.address(), "p2")); // not offered
  CHECK_FALSE(agents.speaks_for(a1.address(), "p3")); // another agent's
  CHECK_FALSE(agents.speaks_for(a2.address(), "p1"));
  // Registering again through the same connection renews; through another one replaces.
  CHECK(agents.join("a1", a1, {{"p1", test::as_probe(probe)}, {"p2", test::as_probe(probe)}}, 5)
            .renewed);
  CHECK(agents.speaks_for(a1.address(), "p2"));
  auto again = agents.join("a1", a2, {{"p1", test::as_probe(probe)}}, 0);
  CHECK(again.replaced);
  CHECK_FALSE(agents.speaks_for(a1.address(), "p1"));
  // The old connection going away later changes nothing; the current one does.
  CHECK_FALSE(agents.leave(a1.address(), "gone", 10));
  auto left = agents.leave(a2.address(), "heartbeats missed", 20);
  REQUIRE(left);
  CHECK(left->agent_id == "a1");
  CHECK(left->servers == std::vector<std::string>{"p1"});
  CHECK_FALSE(agents.connected("a1"));
  CHECK_FALSE(agents.speaks_for(a2.address(), "p1"));
  auto statuses = agents.statuses();
  REQUIRE(statuses.size() == 2);
  CHECK(statuses[0].id == "a1");
  CHECK_FALSE(statuses[0].connected);
  CHECK(statuses[0].servers == std::vector<std::string>{"p1", "p2"});
  CHECK(statuses[0].serving.empty());
  CHECK(statuses[0].since_ms == 20);
  CHECK(statuses[0].last_disconnect == "heartbeats missed");
  CHECK(statuses[1].id == "a2");
  CHECK(statuses[1].since_ms == 0);
  for (auto& a : {a1, a2, probe})
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}
