#include "common/error.hpp"
#include "coordinator/agents/probe_relay.hpp"
#include "coordinator/api/api_errors.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace fleet;

namespace {

struct held_state {
  std::vector<caf::typed_response_promise<int64_t>> held;
};

/// A remote probe that lists one client at once and never answers a placement (as one on a
/// node whose link broke while the placement ran).
// Spawned with an argument (its name): CAF 0.17.6's spawn of a function actor without one binds
// a null reference, which UBSan reports.
probe_actor::behavior_type holding_probe(probe_actor::stateful_pointer<held_state> self,
                                         const std::string&) {
  auto none = [](auto&&...) { return caf::result<int64_t>{make_error(ec::internal, "unused")}; };
  return {
      [self](place_atom, client_order&) {
        auto promise = self->make_response_promise<int64_t>();
        self->state.held.push_back(promise);
        return promise;
      },
      [none](verify_atom, std::string& e) { return none(e); },
      [none](amend_atom, client_order& o) { return none(o); },
      [](remove_atom, std::string&) { return caf::result<bool>{true}; },
      [](remove_atom, std::vector<std::string>&) { return caf::result<int64_t>{0}; },
      [](usage_atom, std::string&) {
        return caf::result<client_usage>{make_error(ec::not_found, "no client")};
      },
      [](inventory_atom) {
        return std::vector<panel_entry>{{"a@x", 1, "uuid-1", true}};
      },
  };
}

constexpr auto wait = std::chrono::seconds{5};

} // namespace

TEST_CASE("a probe relay passes answers and errors of the agent's probe through",
          "[unit][agents]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto remote = sys.spawn(holding_probe, std::string{"p2"});
  auto relay = spawn_probe_relay(sys, remote, caf::actor_cast<caf::actor>(self), "p2", "a1");
  std::vector<panel_entry> listed;
  self->request(relay, wait, inventory_atom_v)
      .receive([&](std::vector<panel_entry>& x) { listed = x; },
               [](caf::error& err) { FAIL(message_of(err)); });
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].email == "a@x");
  caf::error got;
  self->request(relay, wait, usage_atom_v, std::string{"b@x"})
      .receive([](client_usage&) { FAIL("usage of an unknown client"); },
               [&](caf::error& err) { got = err; });
  CHECK(code_of(got) == ec::not_found);
  CHECK_FALSE(agent_lost(got));
  caf::anon_send_exit(remote, caf::exit_reason::kill);
  caf::anon_send_exit(relay, caf::exit_reason::kill);
}

TEST_CASE("requests in flight when the agent's probe goes fail with agent_lost", "[unit][agents]") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto remote = sys.spawn(holding_probe, std::string{"p2"});
  auto relay = spawn_probe_relay(sys, remote, caf::actor_cast<caf::actor>(self), "p2", "a1");
  client_order order;
  order.email = "c@x";
  // The placement waits at the remote probe; then the remote probe goes down.
  auto pending = self->request(relay, wait, place_atom_v, order);
  std::vector<panel_entry> listed;
  self->request(relay, wait, inventory_atom_v)
      .receive([&](std::vector<panel_entry>& x) { listed = x; }, [](caf::error&) {});
  REQUIRE(listed.size() == 1); // the placement has reached the remote probe
  caf::anon_send_exit(remote, caf::exit_reason::kill);
  caf::error got;
  std::move(pending).receive([](int64_t) { FAIL("a placement nobody answered succeeded"); },
                             [&](caf::error& err) { got = err; });
  CHECK(agent_lost(got));
  CHECK(code_of(got) == ec::panel_unreachable);
  CHECK(message_of(got).find("agent a1 was lost while a request to server p2 ran")
        != std::string::npos);
  CHECK_FALSE(agent_lost(make_error(ec::panel_unreachable, "connection refused")));
  // The relay has ended with its remote probe: later requests fail at once, not after `wait`.
  auto start = std::chrono::steady_clock::now();
  caf::error late;
  self->request(relay, wait, inventory_atom_v)
      .receive([](std::vector<panel_entry>&) { FAIL("a relay without its probe answered"); },
               [&](caf::error& err) { late = err; });
  CHECK(late);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds{2});
}

TEST_CASE("a probe that is gone is classified as an unreachable panel, other errors pass",
          "[unit][agents]") {
  auto gone = panel_failure(caf::make_error(caf::sec::request_receiver_down), "p7");
  CHECK(code_of(gone) == ec::panel_unreachable);
  CHECK(message_of(gone).find("server p7 is unreachable") != std::string::npos);
  CHECK(details_of(gone).find("\"probe_down\"") != std::string::npos);
  CHECK_FALSE(agent_lost(gone)); // it never reached the panel
  auto answer = to_api_error(gone);
  // The contract's code for a panel that failed; details say it never reached the panel.
  CHECK(answer.status == 502);
  CHECK(answer.body["error"]["code"] == "panel_error");
  CHECK(code_of(panel_failure(caf::make_error(caf::exit_reason::remote_link_unreachable), "p7"))
        == ec::panel_unreachable);
  auto refused = panel_failure(make_error(ec::conflict, "duplicate email"), "p7");
  CHECK(code_of(refused) == ec::conflict);
  CHECK(message_of(refused) == "duplicate email");
  CHECK(panel_failure(caf::make_error(caf::sec::request_timeout), "p7")
        == caf::sec::request_timeout);
}
