#pragma once

// A fleet of three fake panels (one per API generation) with a running coordinator, for the
// integration tests, and small helpers to talk to it.

#include "common/panel/panel_client.hpp"
#include "common/protocol.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/runtime.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/fake_xui/fake_server.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <catch2/catch.hpp>

#include <thread>

namespace fleet::test {

using namespace std::chrono_literals;

/// Three fake panels (one per API generation, each on its own port), a coordinator and a
/// probe per panel, with fast checks: 300 ms interval, 200 ms timeout, rise 2, fall 3.
struct running_fleet {
  fake::fake_server panels;
  fleet_config config;
  std::unique_ptr<runtime> rt;
  caf::actor_system* sys = nullptr;
  caf::actor coord;
  store* db = nullptr;

  explicit running_fleet(const std::string& data_dir,
                         std::function<void(fleet_config&)> adjust = {},
                         std::function<void(fake::panel_options&)> adjust_panel = {}) {
    const char* names[] = {"a", "b", "c"};
    fake::api_profile profiles[]
        = {fake::api_profile::classic, fake::api_profile::classic_csrf, fake::api_profile::gen2};
    for (int i = 0; i < 3; ++i) {
      fake::panel_options p;
      p.name = names[i];
      p.profile = profiles[i];
      p.password = "pw";
      if (adjust_panel)
        adjust_panel(p);
      panels.add_panel(p);
    }
    panels.set_keep_alive(1);
    REQUIRE(panels.start().empty());
    for (int i = 0; i < 3; ++i) {
      server_config s;
      s.id = names[i];
      s.name = names[i];
      s.host = "127.0.0.1";
      s.port = panels.find(names[i])->options().port;
      s.username = "admin";
      s.password = "pw";
      s.max_clients = 100;
      config.servers.push_back(s);
    }
    config.management.health_check_interval = 300ms;
    config.management.health_check_timeout = 200ms;
    if (adjust)
      adjust(config);
    start(data_dir);
  }

  void start(const std::string& data_dir) {
    rt = std::make_unique<runtime>();
    REQUIRE_FALSE(rt->start(config, data_dir));
    sys = &rt->system();
    coord = rt->coordinator();
    db = &rt->db();
  }

  void stop() {
    coord = nullptr;
    rt.reset();
  }

  ~running_fleet() { stop(); }

  std::map<std::string, server_health> health() {
    caf::scoped_actor self{*sys};
    std::map<std::string, server_health> out;
    self->request(coord, 5s, fleet_atom_v)
        .receive(
            [&](const std::vector<server_health>& list) {
              for (const auto& h : list)
                out[h.server_id] = h;
            },
            [&](caf::error&) {});
    return out;
  }

  std::string select(const selection_criteria& criteria) {
    caf::scoped_actor self{*sys};
    std::string chosen = "none";
    self->request(coord, 5s, select_atom_v, criteria)
        .receive([&](const selection& s) { chosen = s.server_id; },
                 [&](caf::error& e) { chosen = "error: " + message_of(e); });
    return chosen;
  }

  /// Polls until `id` reaches `state`; returns how long it took, or -1 ms after `limit`.
  std::chrono::milliseconds wait_for_state(const std::string& id, server_state state,
                                           std::chrono::milliseconds limit) {
    auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < limit) {
      if (health()[id].state == state)
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
      std::this_thread::sleep_for(20ms);
    }
    return -1ms;
  }
};

/// Sends `xs` to the coordinator and waits for its answer of type `T` (or the error).
template <class T, class... Ts>
caf::expected<T> ask(running_fleet& fleet, Ts&&... xs) {
  caf::scoped_actor self{*fleet.sys};
  caf::expected<T> out{make_error(ec::internal, "no answer")};
  self->request(fleet.coord, 20s, std::forward<Ts>(xs)...)
      .receive([&](T& x) { out = std::move(x); }, [&](caf::error& e) { out = std::move(e); });
  return out;
}

/// Polls `done` every 20 ms until it holds or `limit` passes; returns whether it held.
template <class Predicate>
bool eventually(Predicate done, std::chrono::milliseconds limit = 5s) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (done())
      return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

inline selection_criteria preferring(const std::string& id) {
  selection_criteria c;
  c.user_id = "12345";
  c.preferred_id = id;
  return c;
}

inline std::string create(running_fleet& fleet, const create_request& req,
                          client_record* out = nullptr) {
  caf::scoped_actor self{*fleet.sys};
  std::string result = "none";
  self->request(fleet.coord, 20s, create_atom_v, req)
      .receive(
          [&](const client_record& r) {
            result = r.server_id;
            if (out != nullptr)
              *out = r;
          },
          [&](caf::error& e) { result = "error " + to_string(code_of(e)) + ": " + message_of(e); });
  return result;
}

inline create_request user(int n, const std::string& server = "") {
  create_request req;
  req.user_id = std::to_string(n);
  req.server_id = server;
  return req;
}

inline bool on_panel(running_fleet& fleet, const std::string& panel, const std::string& email) {
  auto per_inbound = fleet.panels.find(panel)->clients();
  for (const auto& item : per_inbound.items())
    for (const auto& e : item.value())
      if (e == email)
        return true;
  return false;
}

} // namespace fleet::test
