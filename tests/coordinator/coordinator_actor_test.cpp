// The coordinator actor on the deterministic scheduler (tests/coordinator/coordinator_fixture.hpp):
// agents, passive ejection, creates with failover and the periodic reconcile.

#include "tests/coordinator/coordinator_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace fleet;
using namespace fleet::test;
using namespace std::chrono_literals;

namespace {

/// The `reason` in the details of a `no_server_available` error.
std::string reason_of(const caf::error& err) {
  auto details = nlohmann::json::parse(details_of(err), nullptr, false);
  if (!details.is_object() || !details.contains("reason"))
    return "(no reason in details: " + details_of(err) + ")";
  return details["reason"].get<std::string>();
}

/// Creates client `u<user>` on p1 (the first choice after `p1_then_p2`) and returns it.
client_record create_on_p1(coordinator_fixture& f, const std::string& user) {
  auto created = f.create(user);
  auto& p1 = *f.scripts.at("p1");
  REQUIRE(p1.pending.size() == 1);
  p1.reply(p1.next(), int64_t{3});
  f.ds.consume();
  auto record = value(created);
  REQUIRE(record.server_id == "p1");
  return record;
}

/// Reports a passed check of `id` (with `active` clients) through `agent` and answers the
/// deletion of the copy of `email` there that it starts.
void copy_removed_after_check(coordinator_fixture& f, const caf::actor& agent,
                              const std::string& id, const std::string& email, int64_t active) {
  f.report(agent, f.passed(id, active));
  auto& probe = *f.scripts.at(id);
  REQUIRE(probe.pending.size() == 1);
  auto remove = probe.next();
  CHECK(remove.what == "remove");
  CHECK(remove.email == email);
  probe.reply(remove, int64_t{1});
  f.ds.consume();
}

} // namespace

TEST_CASE_METHOD(coordinator_fixture,
                 "servers behind an agent are out until it registers and again when it goes",
                 "[unit][coordinator][agents]") {
  start();
  for (const auto& h : fleet()) {
    CHECK(h.state == server_state::unreachable);
    CHECK_FALSE(h.is_healthy);
    // Never checked either: both flags, agent_lost deciding the state.
    CHECK(h.flags == strings{"unchecked", "agent_lost"});
    CHECK(h.last_error == "agent a1 has not connected yet");
  }
  // A report on an agent's server from anyone but its registered agent is ignored.
  caf::anon_send(coordinator, health_atom_v, passed("p1"));
  ds.consume();
  CHECK(health("p1").state == server_state::unreachable);

  auto agent = spawn_agent();
  CHECK(register_agent(agent, {"p1", "p2", "p3"}) == strings{"p1", "p2", "p3"});
  for (const auto& h : fleet()) {
    CHECK(h.state == server_state::unknown);
    CHECK(h.flags == strings{"unchecked"});
  }
  auto waiting = select();
  CHECK(code_of(failure(waiting)) == ec::no_server_available);
  CHECK(reason_of(failure(waiting)) == "all_unhealthy");
  auto probe = ask<probe_actor>(ds, coordinator, probe_atom_v, std::string{"p1"}, get_atom_v);
  ds.consume();
  // The coordinator reaches the agent's probe through a relay of its own (probe_relay).
  REQUIRE(value(probe));
  CHECK(value(probe) != probes.at("p1"));

  report(agent, passed("p1"));
  auto p1 = health("p1");
  CHECK(p1.state == server_state::healthy);
  CHECK(p1.is_healthy);
  CHECK(p1.flags.empty());
  CHECK(health("p2").state == server_state::unknown);
  CHECK(selected() == "p1");

  // The link to the agent breaks: the coordinator's monitor sees it go.
  fail_actor(agent, caf::exit_reason::remote_link_unreachable);
  ds.consume();
  for (const auto& h : fleet()) {
    CHECK(h.state == server_state::unreachable);
    CHECK_FALSE(h.is_healthy);
    CHECK(h.last_error == "agent a1 disconnected (connection lost or heartbeats missed)");
  }
  CHECK(health("p1").flags == strings{"agent_lost"});
  auto none = select();
  CHECK(code_of(failure(none)) == ec::no_server_available);
  CHECK(reason_of(failure(none)) == "all_unhealthy");
  auto forgotten = ask<probe_actor>(ds, coordinator, probe_atom_v, std::string{"p1"}, get_atom_v);
  ds.consume();
  CHECK(code_of(failure(forgotten)) == ec::not_found);

  // Through a new connection it registers again: its servers wait for a first report.
  auto again = spawn_agent();
  CHECK(register_agent(again, {"p1", "p2", "p3"}) == strings{"p1", "p2", "p3"});
  CHECK(health("p1").state == server_state::unknown);
  CHECK(health("p1").flags == strings{"unchecked"});
  report(again, passed("p1"));
  CHECK(selected() == "p1");
}

TEST_CASE_METHOD(coordinator_fixture,
                 "the coordinator ejects a server whose client operations fail, "
                 "at most max_ejection_percent of the fleet",
                 "[unit][coordinator][passive]") {
  config.management.passive_failure_threshold = 3;
  config.management.max_ejection_percent = 34; // one of three servers
  config.management.healthy_threshold = 2;
  start();
  auto agent = connect_all();
  // Least load picks p1, then p2.
  report(agent, passed("p1", 10));
  report(agent, passed("p2", 20));
  report(agent, passed("p3", 30));
  REQUIRE(selected() == "p1");

  operations(agent, "p1", 1);
  operations(agent, "p1", 2);
  auto below = health("p1");
  CHECK(below.state == server_state::healthy);
  CHECK(below.flags.empty());
  CHECK(below.last_error.empty());
  CHECK(selected() == "p1");

  operations(agent, "p1", 3);
  auto ejected = health("p1");
  CHECK(ejected.state == server_state::unhealthy);
  CHECK_FALSE(ejected.is_healthy);
  CHECK(ejected.flags == strings{"passive_failure"});
  CHECK_THAT(ejected.last_error, Catch::Contains("3 client operations failed in a row")
                                     && Catch::Contains("timed out"));
  CHECK(selected() == "p2");

  // The cap holds p2 in selection although it reaches the threshold too.
  operations(agent, "p2", 1);
  operations(agent, "p2", 2);
  operations(agent, "p2", 3);
  auto capped = health("p2");
  CHECK(capped.state == server_state::healthy);
  CHECK(capped.is_healthy);
  CHECK(capped.flags.empty());
  CHECK_THAT(capped.last_error,
             Catch::Contains("max_ejection_percent") && Catch::Contains("holds 1 of 3 servers"));
  CHECK(selected() == "p2");

  // healthy_threshold (2) passed checks bring p1 back, not one.
  report(agent, passed("p1", 10));
  CHECK(health("p1").state == server_state::unhealthy);
  CHECK(health("p1").flags == strings{"passive_failure"});
  CHECK(selected() == "p2");
  report(agent, passed("p1", 10));
  auto back = health("p1");
  CHECK(back.state == server_state::healthy);
  CHECK(back.flags.empty());
  CHECK(selected() == "p1");
}

TEST_CASE_METHOD(coordinator_fixture,
                 "a create goes to the chosen server's probe and fails over on a retryable error",
                 "[unit][coordinator][creates]") {
  start();
  p1_then_p2();
  auto created = create("42");
  auto& first = *scripts.at("p1");
  auto& second = *scripts.at("p2");
  REQUIRE(first.pending.size() == 1);
  auto call = first.next();
  CHECK(call.what == "place");
  CHECK(call.email == "u42");
  CHECK(call.order.uuid == "uuid-42");
  CHECK(second.log.empty());
  CHECK_FALSE(created->has_value()); // waits for the panel

  first.fail(call, make_error(ec::panel_unavailable, "add clients: HTTP 502"));
  ds.consume();
  REQUIRE(second.pending.size() == 1);
  auto retry = second.next();
  CHECK(retry.what == "place");
  CHECK(retry.email == "u42");
  CHECK(retry.order.uuid == "uuid-42");
  CHECK_FALSE(created->has_value());
  second.reply(retry, int64_t{5});
  ds.consume();
  const auto& record = value(created);
  CHECK(record.server_id == "p2");
  CHECK(record.inbound_id == 5);
  CHECK(record.email == "u42");
  CHECK(first.log == strings{"place u42"});
  CHECK(scripts.at("p3")->log.empty());
}

TEST_CASE_METHOD(coordinator_fixture, "a create that conflicts or may not fail over stays put",
                 "[unit][coordinator][creates]") {
  SECTION("a conflict never fails over") {
    start();
  }
  SECTION("a retryable error without auto_failover is the answer") {
    config.management.auto_failover = false;
    start();
  }
  p1_then_p2();
  auto created = create("42");
  auto& first = *scripts.at("p1");
  REQUIRE(first.pending.size() == 1);
  auto call = first.next();
  auto refusal = config.management.auto_failover
                     ? make_error(ec::conflict, "email u42 is on the panel already")
                     : make_error(ec::panel_unavailable, "add clients: HTTP 502");
  auto expected = code_of(refusal);
  first.fail(call, std::move(refusal));
  ds.consume();
  CHECK(code_of(failure(created)) == expected);
  CHECK(scripts.at("p2")->log.empty());
  CHECK(scripts.at("p3")->log.empty());
  CHECK(first.pending.empty());
}

TEST_CASE_METHOD(coordinator_fixture,
                 "the periodic reconcile asks healthy servers for their clients every "
                 "reconcile_interval of the virtual clock",
                 "[unit][coordinator][reconcile]") {
  const auto interval = 10s;
  config.management.reconcile_interval = interval;
  start(true); // a store, so that a reconcile compares with the records and reports
  auto agent = connect_all();
  auto& healthy = *scripts.at("p1");
  // A recovery is reconciled at once.
  report(agent, passed("p1"));
  REQUIRE(healthy.pending.size() == 1);
  auto recovery = healthy.next();
  CHECK(recovery.what == "inventory");
  healthy.reply(recovery, std::vector<panel_entry>{});
  ds.consume();
  healthy.log.clear();
  // ... not a server still unchecked (p2) or unhealthy (p3).
  report(agent, failed("p3"));
  REQUIRE(health("p3").state == server_state::unhealthy);
  CHECK(ds.elapsed() == 0s);

  ds.advance(interval - 1ms);
  CHECK(healthy.pending.empty());
  ds.advance(1ms);
  REQUIRE(healthy.pending.size() == 1);
  CHECK(ds.elapsed() == interval);
  auto call = healthy.next();
  CHECK(call.what == "inventory");
  healthy.reply(call, std::vector<panel_entry>{{"stray", 4, "key", true}});
  ds.consume();
  auto drift = ask<std::vector<drift_report>>(ds, coordinator, drift_atom_v);
  ds.consume();
  REQUIRE(value(drift).size() == 1);
  CHECK(value(drift).front().server_id == "p1");
  CHECK(value(drift).front().foreign == strings{"stray"});
  CHECK(value(drift).front().error.empty());
  CHECK(value(drift).front().checked_at_ms == ds.time().wall_ms()); // the coordinator's clock

  // And again one interval later, not before.
  ds.advance(interval - 1ms);
  CHECK(healthy.pending.empty());
  ds.advance(1ms);
  REQUIRE(healthy.pending.size() == 1);
  CHECK(ds.elapsed() == 2 * interval);
  CHECK(healthy.log == strings{"inventory", "inventory"});
  // While that one runs (unanswered), the next period does not ask again.
  ds.advance(interval);
  CHECK(healthy.pending.size() == 1);
  CHECK(healthy.log.size() == 2);
  CHECK(scripts.at("p2")->log.empty());
  CHECK(scripts.at("p3")->log.empty());
}

TEST_CASE_METHOD(coordinator_fixture,
                 "changes queued for a probe that went with its agent link fail as unreachable",
                 "[unit][coordinator][agents]") {
  start(true);
  p1_then_p2();
  create_on_p1(*this, "7");
  // The agent's probe goes (its link died); the coordinator has not seen the agent go yet and
  // still sends to the relay, which ended with the probe.
  fail_actor(probes.at("p1"), caf::exit_reason::remote_link_unreachable);
  ds.consume();
  auto deleted = ask<bool>(ds, coordinator, delete_atom_v, std::string{"u7"});
  ds.consume();
  CHECK(code_of(failure(deleted)) == ec::panel_unreachable);
  CHECK_THAT(message_of(failure(deleted)), Catch::Contains("server p1 is unreachable"));
  client_patch patch;
  patch.email = "u7";
  patch.total_gb = 5;
  auto updated = ask<client_record>(ds, coordinator, update_atom_v, patch);
  ds.consume();
  CHECK(code_of(failure(updated)) == ec::panel_unreachable);
  // Nothing was changed: the client is still recorded on p1, free for the next try.
  auto again = ask<bool>(ds, coordinator, delete_atom_v, std::string{"u7"});
  ds.consume();
  CHECK(code_of(failure(again)) == ec::panel_unreachable);
}

TEST_CASE_METHOD(coordinator_fixture,
                 "an update of a client its panel lost re-adds it there with the change",
                 "[unit][coordinator][drift]") {
  start(true);
  p1_then_p2();
  auto placed = create_on_p1(*this, "8");
  auto& p1 = *scripts.at("p1");
  client_patch patch;
  patch.email = "u8";
  patch.total_gb = 5;
  auto updated = ask<client_record>(ds, coordinator, update_atom_v, patch);
  ds.consume();
  REQUIRE(p1.pending.size() == 1);
  auto amend = p1.next();
  CHECK(amend.what == "amend");
  // The panel was wiped after the create.
  p1.fail(amend, make_error(ec::not_found, "update client: the panel has no client u8"));
  ds.consume();
  REQUIRE(p1.pending.size() == 1);
  auto readd = p1.next();
  CHECK(readd.what == "place");
  CHECK(readd.order.uuid == placed.uuid);
  CHECK(readd.order.sub_id == placed.sub_id);
  CHECK(readd.order.total_bytes == amend.order.total_bytes); // the patched quota
  CHECK(readd.order.total_bytes > 0);
  p1.reply(readd, int64_t{4});
  ds.consume();
  const auto& record = value(updated);
  CHECK(record.server_id == "p1");
  CHECK(record.total_gb == 5);
  CHECK(record.inbound_id == 4);
  CHECK(record.uuid == placed.uuid);

  // A delete of a client its panel does not have succeeds: it is gone already.
  auto deleted = ask<bool>(ds, coordinator, delete_atom_v, std::string{"u8"});
  ds.consume();
  REQUIRE(p1.pending.size() == 1);
  auto remove = p1.next();
  CHECK(remove.what == "remove");
  p1.reply(remove, false);
  ds.consume();
  CHECK(value(deleted));
}

TEST_CASE_METHOD(coordinator_fixture,
                 "a create that failed over after an unclear outcome removes its possible copy",
                 "[unit][coordinator][creates]") {
  start(true);
  auto agent = p1_then_p2();
  auto created = create("9");
  auto& p1 = *scripts.at("p1");
  auto& p2 = *scripts.at("p2");
  REQUIRE(p1.pending.size() == 1);
  // The add may have been applied: only the listing after it timed out.
  p1.fail(p1.next(),
          make_error(ec::panel_timeout, "list inbounds: the panel did not answer in time"));
  ds.consume();
  REQUIRE(p2.pending.size() == 1);
  p2.reply(p2.next(), int64_t{5});
  ds.consume();
  REQUIRE(value(created).server_id == "p2");
  auto stale_on_p1 = [&] {
    auto left = db->stale_copies("p1");
    REQUIRE(left);
    return left->size();
  };
  CHECK(stale_on_p1() == 1);
  // Once p1 answers, the copy goes from there (and only from there).
  copy_removed_after_check(*this, agent, "p1", "u9", 10);
  CHECK(stale_on_p1() == 0);
  CHECK(p2.pending.empty());

  // A refusal the panel answered left nothing: no copy to remove.
  auto refused = create("10");
  REQUIRE(p1.pending.size() == 1);
  p1.fail(p1.next(), make_error(ec::panel_error, "add clients: database is locked"));
  ds.consume();
  REQUIRE(p2.pending.size() == 1);
  p2.reply(p2.next(), int64_t{5});
  ds.consume();
  REQUIRE(value(refused).server_id == "p2");
  CHECK(stale_on_p1() == 0);
  report(agent, passed("p1", 10));
  CHECK(p1.pending.empty());
}

TEST_CASE_METHOD(coordinator_fixture,
                 "a create that failed everywhere after unclear outcomes removes its orphans "
                 "and a new create of the email keeps its own copy",
                 "[unit][coordinator][creates]") {
  start(true);
  auto agent = p1_then_p2(); // p3 is not eligible
  auto& p1 = *scripts.at("p1");
  auto& p2 = *scripts.at("p2");
  auto timed_out = [](const char* what) {
    return make_error(ec::panel_timeout, std::string{what} + ": the panel did not answer in time");
  };
  auto stale_emails = [&](const std::string& id) {
    auto left = db->stale_copies(id);
    REQUIRE(left);
    strings out;
    for (const auto& c : *left)
      out.push_back(c.email + (c.moved_to.empty() ? "" : "@" + c.moved_to));
    return out;
  };
  auto created = create("11");
  REQUIRE(p1.pending.size() == 1);
  p1.fail(p1.next(), timed_out("list inbounds"));
  ds.consume();
  REQUIRE(p2.pending.size() == 1);
  p2.fail(p2.next(), timed_out("add clients"));
  ds.consume();
  CHECK_THAT(message_of(failure(created)),
             Catch::StartsWith("client u11 could not be created on p1, p2"));
  // No client, nothing open: only the copies the adds may have left, which live nowhere.
  CHECK_FALSE(db->client("u11")->has_value());
  CHECK(db->open_intents()->empty());
  CHECK(stale_emails("p1") == strings{"u11"});
  CHECK(stale_emails("p2") == strings{"u11"});

  // A new create of the email goes to no server holding a copy of it: the copy is deleted
  // there by email and would take the new one with it.
  auto again = create("11");
  CHECK(code_of(failure(again)) == ec::no_server_available);
  CHECK_THAT(message_of(failure(again)), Catch::Contains("p1, p2 may still hold a copy of u11"));
  create_request pinned;
  pinned.user_id = "11";
  pinned.server_id = "p2";
  auto refused = ask<client_record>(ds, coordinator, create_atom_v, pinned);
  ds.consume();
  CHECK(code_of(failure(refused)) == ec::no_server_available);
  CHECK(reason_of(failure(refused)) == "stale_copy");
  CHECK(p1.pending.empty());
  CHECK(p2.pending.empty());
  CHECK(db->open_intents()->empty());

  // p1 answers: its orphan goes, and p1 takes the email's new client.
  copy_removed_after_check(*this, agent, "p1", "u11", 10);
  CHECK(stale_emails("p1").empty());
  auto placed = create("11");
  REQUIRE(p1.pending.size() == 1);
  CHECK(p1.pending.front().what == "place");
  p1.reply(p1.next(), int64_t{3});
  ds.consume();
  CHECK(value(placed).server_id == "p1");
  // p2's orphan goes from p2 only; the client on p1 is untouched.
  copy_removed_after_check(*this, agent, "p2", "u11", 20);
  CHECK(stale_emails("p2").empty());
  CHECK(p1.pending.empty());
  CHECK((*db->client("u11"))->server_id == "p1");
}

TEST_CASE_METHOD(coordinator_fixture,
                 "a create without failover whose add had no clear outcome removes its "
                 "possible copy",
                 "[unit][coordinator][creates]") {
  start(true);
  auto agent = p1_then_p2();
  auto& p1 = *scripts.at("p1");
  create_request pinned;
  pinned.user_id = "12";
  pinned.server_id = "p1";
  auto created = ask<client_record>(ds, coordinator, create_atom_v, pinned);
  ds.consume();
  REQUIRE(p1.pending.size() == 1);
  p1.fail(p1.next(), make_error(ec::panel_unavailable, "add clients: the panel answered HTTP 502"));
  ds.consume();
  CHECK(code_of(failure(created)) == ec::panel_unavailable);
  CHECK_FALSE(db->client("u12")->has_value());
  auto left = db->stale_copies("p1");
  REQUIRE(left);
  REQUIRE(left->size() == 1);
  CHECK(left->front().email == "u12");
  CHECK(left->front().moved_to.empty());
  copy_removed_after_check(*this, agent, "p1", "u12", 10);
  CHECK(db->stale_copies("p1")->empty());
}
