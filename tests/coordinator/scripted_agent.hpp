#pragma once

// An agent and its probes played by the test, for coordinator tests on the deterministic
// scheduler (tests/support/deterministic_system.hpp): the probes record every request the
// coordinator sends them and answer when the test says so; the agent relays the test's hello,
// registration and reports to the coordinator, so that they come from the agent's own handle
// (the coordinator takes reports on an agent's servers only from that agent).

#include "common/protocol.hpp"

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fleet::test {

/// Test -> scripted probe: answer the request with this call id now.
using answer_atom = caf::atom_constant<caf::atom("answer")>;
constexpr answer_atom answer_atom_v{};

/// One request a scripted probe received.
struct probe_call {
  uint64_t id = 0;
  /// place, verify, amend, remove, usage or inventory.
  std::string what;
  /// The client's email; empty for inventory.
  std::string email;
  /// The order of a place or amend.
  client_order order;
};

/// What a scripted probe received, and the answers the test gives; shared between the test
/// and the probe actor. Single-threaded like the deterministic system.
class probe_script {
public:
  /// Requests not answered yet, oldest first.
  std::deque<probe_call> pending;
  /// Every request received, in order ("place u1", "inventory", ...).
  std::vector<std::string> log;

  /// The probe's handle; set when it is spawned.
  caf::actor self;

  /// Takes the oldest unanswered request.
  probe_call next() {
    auto call = std::move(pending.front());
    pending.pop_front();
    return call;
  }

  /// Answers `call` with `value` (its reply type: int64_t, bool, client_usage or
  /// std::vector<panel_entry>); runs when the system runs.
  template <class T>
  void reply(const probe_call& call, T value) {
    answers_[call.id]
        = [value](caf::response_promise& rp) mutable { rp.deliver(std::move(value)); };
    caf::anon_send(self, answer_atom_v, call.id);
  }

  /// Answers `call` with `err`.
  void fail(const probe_call& call, caf::error err) {
    answers_[call.id] = [err](caf::response_promise& rp) mutable { rp.deliver(std::move(err)); };
    caf::anon_send(self, answer_atom_v, call.id);
  }

  /// The probe's side: records a request and keeps its promise.
  template <class T>
  caf::typed_response_promise<T> take(caf::typed_response_promise<T> rp, std::string what,
                                      std::string email, client_order order = {}) {
    auto id = next_id_++;
    log.push_back(email.empty() ? what : what + " " + email);
    pending.push_back({id, std::move(what), std::move(email), std::move(order)});
    promises_[id] = static_cast<caf::response_promise&>(rp);
    return rp;
  }

  /// The probe's side: delivers the answer the test gave to `id`.
  void deliver(uint64_t id) {
    auto answer = answers_.find(id);
    auto promise = promises_.find(id);
    if (answer == answers_.end() || promise == promises_.end())
      return;
    answer->second(promise->second);
    answers_.erase(answer);
    promises_.erase(promise);
  }

private:
  uint64_t next_id_ = 1;
  std::map<uint64_t, caf::response_promise> promises_;
  std::map<uint64_t, std::function<void(caf::response_promise&)>> answers_;
};

/// A probe's interface plus the test's answers.
using scripted_probe_actor = probe_actor::extend<caf::reacts_to<answer_atom, uint64_t>>;

/// A probe that answers nothing by itself: every request waits in `script` for the test.
inline scripted_probe_actor::behavior_type scripted_probe(scripted_probe_actor::pointer self,
                                                          std::shared_ptr<probe_script> script) {
  script->self = caf::actor_cast<caf::actor>(self);
  return {
      [=](place_atom, const client_order& o) {
        return script->take(self->make_response_promise<int64_t>(), "place", o.email, o);
      },
      [=](verify_atom, const std::string& email) {
        return script->take(self->make_response_promise<int64_t>(), "verify", email);
      },
      [=](amend_atom, const client_order& o) {
        return script->take(self->make_response_promise<int64_t>(), "amend", o.email, o);
      },
      [=](remove_atom, const std::vector<std::string>& emails) {
        std::string all;
        for (const auto& e : emails)
          all += (all.empty() ? "" : ",") + e;
        return script->take(self->make_response_promise<int64_t>(), "remove", all);
      },
      [=](remove_atom, const std::string& email) {
        return script->take(self->make_response_promise<bool>(), "remove", email);
      },
      [=](usage_atom, const std::string& email) {
        return script->take(self->make_response_promise<client_usage>(), "usage", email);
      },
      [=](inventory_atom) {
        return script->take(self->make_response_promise<std::vector<panel_entry>>(), "inventory",
                            "");
      },
      [=](answer_atom, uint64_t id) { script->deliver(id); },
  };
}

/// Relays a request to `dest` and its answer (or error) back through `rp`.
template <class T, class... Ts>
caf::typed_response_promise<T> relay(caf::event_based_actor* self, const caf::actor& dest,
                                     Ts... xs) {
  auto rp = self->make_response_promise<T>();
  self->request(dest, caf::infinite, std::move(xs)...)
      .then([rp](T& x) mutable { rp.deliver(std::move(x)); },
            [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

/// The agent's side of the coordinator's protocol, driven by the test: `(hello_atom, version,
/// id)` and `(register_atom, id, panels)` are relayed as requests (the answer comes back to
/// the test), reports are relayed as they are. The coordinator monitors this actor once it
/// registered.
inline caf::behavior scripted_agent(caf::event_based_actor* self, caf::actor coordinator) {
  return {
      [=](hello_atom, uint32_t version, const std::string& id) {
        return relay<uint32_t>(self, coordinator, hello_atom_v, version, id);
      },
      [=](register_atom, const std::string& id, const std::vector<agent_panel>& panels) {
        return relay<std::vector<std::string>>(self, coordinator, register_atom_v, id, panels);
      },
      [=](health_atom, const health_report& r) { self->send(coordinator, health_atom_v, r); },
      [=](health_atom, const operations_report& r) { self->send(coordinator, health_atom_v, r); },
  };
}

} // namespace fleet::test
