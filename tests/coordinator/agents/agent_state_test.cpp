#include "common/error.hpp"
#include "coordinator/coordinator_state.hpp"
#include "tests/coordinator/agents/stand_in.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>
#include <catch2/catch.hpp>

using namespace fleet;

namespace {

fleet_config fleet_with_agent() {
  fleet_config config;
  for (auto [id, agent] : {std::pair{"p1", ""}, std::pair{"p2", "a1"}, std::pair{"p3", "a1"}}) {
    server_config s;
    s.id = id;
    s.agent = agent;
    s.max_clients = 100;
    config.servers.push_back(s);
  }
  return config;
}

health_report healthy(const std::string& id) {
  health_report r;
  r.server_id = id;
  r.state = server_state::healthy;
  r.verdict = check_verdict::passed;
  r.changed = true;
  r.checked_at_ms = 1'000;
  return r;
}

server_health health_of(const coordinator_state& st, const std::string& id) {
  return st.registry->health_of(*st.registry->find(id));
}

} // namespace

TEST_CASE("servers behind an agent are unreachable unless their agent is connected",
          "[unit][agents]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto agent = sys.spawn(test::stand_in, std::string{"agent"});
  auto probe = sys.spawn(test::stand_in, std::string{"probe"});
  coordinator_state st;
  REQUIRE_FALSE(st.init(fleet_with_agent(), nullptr));
  CHECK(health_of(st, "p1").state == server_state::unknown);
  CHECK(health_of(st, "p2").state == server_state::unreachable);
  CHECK(health_of(st, "p2").last_error == "agent a1 has not connected yet");

  // a1 registers with p2 only: p2 waits for its first report, p3 stays out.
  auto joined = st.agents.join("a1", agent, {{"p2", test::as_probe(probe)}}, 1'000);
  st.agent_joined("a1", joined);
  CHECK(st.probes.count("p2") == 1);
  CHECK(st.probes.count("p3") == 0);
  CHECK(health_of(st, "p2").state == server_state::unknown);
  CHECK(health_of(st, "p3").state == server_state::unreachable);
  CHECK(health_of(st, "p3").last_error.find("does not serve it") != std::string::npos);
  CHECK(st.metrics.events["agent.connected"] == 1);
  st.on_health(healthy("p2"));
  CHECK(health_of(st, "p2").state == server_state::healthy);
  auto chosen = st.select(selection_criteria{});
  REQUIRE(chosen);
  CHECK(chosen->server_id == "p2");

  // The agent goes: its server is unreachable and not selectable, its probe forgotten.
  auto gone = st.agents.leave(agent.address(), "connection lost or heartbeats missed", 2'000);
  REQUIRE(gone);
  st.agent_left(*gone, "connection lost or heartbeats missed");
  CHECK(health_of(st, "p2").state == server_state::unreachable);
  CHECK_FALSE(health_of(st, "p2").is_healthy);
  CHECK(health_of(st, "p2").last_error
        == "agent a1 disconnected (connection lost or heartbeats missed)");
  CHECK(st.probes.count("p2") == 0);
  CHECK(st.metrics.events["server.unreachable"] == 1);
  CHECK(st.metrics.events["agent.disconnected"] == 1);
  auto none = st.select(selection_criteria{});
  REQUIRE_FALSE(none);
  CHECK(code_of(none.error()) == ec::no_server_available);
  for (auto& a : {agent, probe})
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}
