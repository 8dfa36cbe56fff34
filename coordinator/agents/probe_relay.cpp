#include "coordinator/agents/probe_relay.hpp"

#include "common/logging.hpp"
#include "common/unexpected_messages.hpp"

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <map>

namespace fleet {

namespace {

struct relay_state {
  probe_actor remote;
  std::string server_id;
  std::string agent_id;
  /// What fails each request still waiting for the remote probe's answer, by request number.
  std::map<uint64_t, std::function<void(caf::error)>> pending;
  uint64_t next = 1;
};

using relay_self = probe_actor::stateful_pointer<relay_state>;

/// Passes `(xs...)` to the remote probe and its answer (of type `T`) back.
template <class T, class... Ts>
caf::typed_response_promise<T> pass(relay_self self, Ts&&... xs) {
  auto promise = self->template make_response_promise<T>();
  auto& s = self->state;
  auto id = s.next++;
  s.pending.emplace(id, [promise](caf::error err) mutable { promise.deliver(std::move(err)); });
  self->request(s.remote, caf::infinite, std::forward<Ts>(xs)...)
      .then(
          [self, id, promise](T& answer) mutable {
            if (self->state.pending.erase(id) > 0)
              promise.deliver(std::move(answer));
          },
          [self, id, promise](caf::error& err) mutable {
            if (self->state.pending.erase(id) > 0)
              promise.deliver(panel_failure(std::move(err), self->state.server_id));
          });
  return promise;
}

probe_actor::behavior_type relay(relay_self self, probe_actor remote, caf::actor owner,
                                 std::string server_id, std::string agent_id) {
  auto& st = self->state;
  st.remote = remote;
  st.server_id = std::move(server_id);
  st.agent_id = std::move(agent_id);
  self->monitor(remote);
  self->monitor(owner);
  // The remote probe learns the relay's address from its requests and may send it anything.
  self->set_default_handler(
      log_and_drop(log_for("coordinator"), "the relay to server " + st.server_id));
  self->set_down_handler([self](caf::down_msg&) {
    auto& s = self->state;
    auto details = nlohmann::json{{"reason", "agent_lost"}, {"agent", s.agent_id}}.dump();
    for (auto& [id, fail] : s.pending)
      fail(make_error(ec::panel_unreachable,
                      "agent " + s.agent_id + " was lost while a request to server " + s.server_id
                          + " ran; whether it reached the panel is known when the agent is back",
                      details));
    s.pending.clear();
    self->quit();
  });
  return {
      [=](place_atom a, client_order& o) { return pass<int64_t>(self, a, std::move(o)); },
      [=](verify_atom a, std::string& e) { return pass<int64_t>(self, a, std::move(e)); },
      [=](amend_atom a, client_order& o) { return pass<int64_t>(self, a, std::move(o)); },
      [=](remove_atom a, std::string& e) { return pass<bool>(self, a, std::move(e)); },
      [=](remove_atom a, std::vector<std::string>& e) {
        return pass<int64_t>(self, a, std::move(e));
      },
      [=](usage_atom a, std::string& e) { return pass<client_usage>(self, a, std::move(e)); },
      [=](inventory_atom a) { return pass<std::vector<panel_entry>>(self, a); },
  };
}

} // namespace

bool agent_lost(const caf::error& err) {
  auto details = details_of(err);
  if (details.empty())
    return false;
  auto parsed = nlohmann::json::parse(details, nullptr, false);
  return parsed.is_object() && parsed.value("reason", "") == "agent_lost";
}

namespace {

/// Whether `err` is CAF saying that the receiver of a request is gone or cannot be reached.
bool receiver_gone(const caf::error& err) {
  if (err.category() == caf::atom("exit"))
    return true;
  if (err.category() != caf::atom("system"))
    return false;
  switch (static_cast<caf::sec>(err.code())) {
  case caf::sec::request_receiver_down:
  case caf::sec::cannot_forward_to_invalid_actor:
  case caf::sec::no_route_to_receiving_node:
  case caf::sec::cannot_connect_to_node:
  case caf::sec::disconnect_during_handshake:
  case caf::sec::remote_linking_failed:
  case caf::sec::socket_disconnected:
  case caf::sec::connection_timeout:
    return true;
  default:
    return false;
  }
}

} // namespace

caf::error panel_failure(caf::error err, const std::string& server_id) {
  if (!receiver_gone(err))
    return err;
  return make_error(ec::panel_unreachable,
                    "server " + server_id + " is unreachable: its probe went away ("
                        + caf::to_string(err) + ") before the request reached it; try again",
                    nlohmann::json{{"reason", "probe_down"}, {"server", server_id}}.dump());
}

probe_actor spawn_probe_relay(caf::actor_system& sys, probe_actor remote, caf::actor owner,
                              std::string server_id, std::string agent_id) {
  return sys.spawn(relay, std::move(remote), std::move(owner), std::move(server_id),
                   std::move(agent_id));
}

} // namespace fleet
