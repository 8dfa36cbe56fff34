#pragma once

// The coordinator actor on the deterministic scheduler: every server is behind agent "a1",
// which the test plays (tests/coordinator/scripted_agent.hpp), so the coordinator spawns no
// probe of its own; the probes the agent registers answer what the test says, and time is
// CAF's virtual clock.

#include "common/error.hpp"
#include "coordinator/coordinator_actor.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/store/store.hpp"
#include "tests/coordinator/scripted_agent.hpp"
#include "tests/support/answers.hpp"
#include "tests/support/deterministic_system.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fleet::test {

using strings = std::vector<std::string>;

/// A coordinator spawned as `runtime` spawns it, over servers p1, p2 and p3 all behind agent
/// a1, each with a scripted probe for the agent to register.
struct coordinator_fixture {
  // Declared before the system: the store outlives the coordinator.
  temp_dir dir;
  std::unique_ptr<store> db;
  deterministic_system ds;
  fleet_config config;
  caf::actor coordinator;
  std::map<std::string, std::shared_ptr<probe_script>> scripts;
  std::map<std::string, probe_actor> probes;

  coordinator_fixture() {
    for (const auto* id : {"p1", "p2", "p3"}) {
      server_config s;
      s.id = id;
      s.name = id;
      s.agent = "a1";
      s.max_clients = 100;
      config.servers.push_back(s);
    }
    // Off unless a case is about it: a recovery would otherwise ask for the inventory.
    config.management.reconcile_interval = millis{0};
    for (const auto& s : config.servers) {
      auto script = std::make_shared<probe_script>();
      auto probe = ds.keep(ds.sys().spawn(scripted_probe, script));
      scripts[s.id] = script;
      probes[s.id] = caf::actor_cast<probe_actor>(probe);
    }
  }

  /// Spawns the coordinator; with `persistent`, over a RocksDB store in a temp dir (the one
  /// of an earlier `start` again, as after a restart).
  void start(bool persistent = false) {
    if (persistent && db == nullptr) {
      auto opened = store::open(dir.str());
      REQUIRE(opened);
      db = std::move(*opened);
    }
    auto state = std::make_shared<coordinator_state>();
    REQUIRE_FALSE(state->init(config, db.get()));
    state->time = &ds.time();
    // No server is probed here, so the coordinator never touches the HTTP engine.
    coordinator = ds.keep(
        ds.sys().spawn(fleet::coordinator, state, config, static_cast<http_engine*>(nullptr)));
    ds.consume();
  }

  /// Ends the coordinator as a crash would: what it has not written yet is lost, requests it
  /// sent stay unanswered. The store stays open for the next `start`.
  void stop() {
    caf::anon_send_exit(coordinator, caf::exit_reason::kill);
    ds.consume();
  }

  /// A new connection of agent a1.
  caf::actor spawn_agent() { return ds.keep(ds.sys().spawn(scripted_agent, coordinator)); }

  /// Says hello through `agent` and registers the probes of `ids`; returns the accepted ids.
  strings register_agent(const caf::actor& agent, const strings& ids) {
    auto hello = ask<uint32_t>(ds, agent, hello_atom_v, protocol_version, std::string{"a1"});
    ds.consume();
    REQUIRE(value(hello) == protocol_version);
    std::vector<agent_panel> panels;
    for (const auto& id : ids)
      panels.push_back({id, probes.at(id)});
    auto accepted = ask<strings>(ds, agent, register_atom_v, std::string{"a1"}, panels);
    ds.consume();
    return value(accepted);
  }

  /// Agent a1, connected with the probes of all three servers.
  caf::actor connect_all() {
    auto agent = spawn_agent();
    REQUIRE(register_agent(agent, {"p1", "p2", "p3"}) == strings{"p1", "p2", "p3"});
    return agent;
  }

  /// Agent a1 connected, p1 and p2 healthy (p1 less loaded: chosen first), p3 not checked
  /// yet (not eligible).
  caf::actor p1_then_p2() {
    auto agent = connect_all();
    report(agent, passed("p1", 10));
    report(agent, passed("p2", 20));
    return agent;
  }

  /// A report of a passed check of `id` with `active` clients.
  health_report passed(const std::string& id, int64_t active = 0) const {
    health_report r;
    r.server_id = id;
    r.state = server_state::healthy;
    r.verdict = check_verdict::passed;
    r.checked_at_ms = ds.time().wall_ms();
    r.availability = 1.0;
    r.panel.total_clients = active;
    r.panel.active_clients = active;
    return r;
  }

  /// A report of a failed check that made `id` unhealthy.
  health_report failed(const std::string& id) const {
    health_report r;
    r.server_id = id;
    r.state = server_state::unhealthy;
    r.verdict = check_verdict::network_failure;
    r.last_error = "panel_timeout: timed out";
    r.changed = true;
    r.checked_at_ms = ds.time().wall_ms();
    r.consecutive_failures = 3;
    return r;
  }

  /// Sends `report` through `agent`, as its probe's report, and runs what follows.
  template <class Report>
  void report(const caf::actor& agent, const Report& r) {
    caf::anon_send(agent, health_atom_v, r);
    ds.consume();
  }

  void operations(const caf::actor& agent, const std::string& id, int64_t failures) {
    report(agent, operations_report{id, failures, "panel_timeout: delete client: timed out"});
  }

  std::vector<server_health> fleet() {
    auto a = ask<std::vector<server_health>>(ds, coordinator, fleet_atom_v);
    ds.consume();
    return value(a);
  }

  server_health health(const std::string& id) {
    auto all = fleet();
    auto i = std::find_if(all.begin(), all.end(),
                          [&](const server_health& h) { return h.server_id == id; });
    REQUIRE(i != all.end());
    return *i;
  }

  answer<selection> select(selection_criteria criteria = {}) {
    auto a = ask<selection>(ds, coordinator, select_atom_v, std::move(criteria));
    ds.consume();
    return a;
  }

  /// The server a selection without criteria chose.
  std::string selected() { return value(select()).server_id; }

  answer<client_record> create(const std::string& user_id) {
    create_request req;
    req.user_id = user_id;
    req.uuid = "uuid-" + user_id;
    auto a = ask<client_record>(ds, coordinator, create_atom_v, req);
    ds.consume();
    return a;
  }
};

} // namespace fleet::test
