// Evacuation as the coordinator actor runs it, on the deterministic scheduler
// (tests/coordinator/coordinator_fixture.hpp): when a failing server is due, waves of moves
// paced per panel, failed and refused moves, the partition rule, open moves after a restart,
// the copies moves leave behind, and the operator's evacuation.

#include "tests/coordinator/coordinator_fixture.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace fleet;
using namespace fleet::test;
using namespace std::chrono_literals;

namespace {

/// The coordinator fixture over a store, with evacuation on: a server failing for `grace`
/// is evacuated, and reviews run every second of the virtual clock (a tenth of it).
struct evacuation_fixture : coordinator_fixture {
  static constexpr millis grace{10'000};

  caf::actor agent;

  evacuation_fixture() { config.management.evacuate_after = grace; }

  /// p1, p2 and p3 healthy behind agent a1; least load prefers p1, then p2, then p3.
  void healthy_fleet() {
    start(true);
    agent = connect_all();
    report(agent, passed("p1", 10));
    report(agent, passed("p2", 20));
    report(agent, passed("p3", 30));
  }

  /// Creates clients u<first> ... u<first + n - 1> pinned on server `id`, each answered by
  /// its probe with inbound <i>; clears that probe's log afterwards.
  std::map<std::string, client_record> place_on(const std::string& id, int first, int n) {
    std::map<std::string, client_record> out;
    auto& script = *scripts.at(id);
    for (int i = first; i < first + n; ++i) {
      create_request req;
      req.user_id = std::to_string(i);
      req.uuid = "uuid-" + req.user_id;
      req.sub_id = "sub-" + req.user_id;
      req.server_id = id;
      auto created = ask<client_record>(ds, coordinator, create_atom_v, req);
      ds.consume();
      REQUIRE(script.pending.size() == 1);
      auto call = script.next();
      REQUIRE(call.what == "place");
      script.reply(call, int64_t{i});
      ds.consume();
      const auto& record = value(created);
      REQUIRE(record.server_id == id);
      out[record.email] = record;
    }
    script.log.clear();
    return out;
  }

  /// Reports `id` failing and lets `grace` pass from the first review that sees it: the
  /// review at the end starts its evacuation.
  void fail_for_grace(const std::string& id) {
    report(agent, failed(id));
    ds.advance(1s);
    ds.advance(grace);
  }

  /// The operator's evacuation of server `id`.
  answer<evacuation_status> evacuate(const std::string& id) {
    auto a = ask<evacuation_status>(ds, coordinator, evacuate_atom_v, id);
    ds.consume();
    return a;
  }

  evacuation_status status(const std::string& id) {
    auto a = ask<evacuation_status>(ds, coordinator, evacuate_atom_v, id, get_atom_v);
    ds.consume();
    return value(a);
  }

  /// The unanswered requests of kind `what`, by server (servers without any left out).
  std::map<std::string, std::vector<probe_call>> pending(const std::string& what) const {
    std::map<std::string, std::vector<probe_call>> out;
    for (const auto& [id, script] : scripts)
      for (const auto& call : script->pending)
        if (call.what == what)
          out[id].push_back(call);
    return out;
  }

  size_t pending_count(const std::string& what) const {
    size_t n = 0;
    for (const auto& [id, calls] : pending(what))
      n += calls.size();
    return n;
  }

  /// Takes every unanswered request of server `id`, oldest first.
  std::vector<probe_call> take(const std::string& id) {
    auto& script = *scripts.at(id);
    std::vector<probe_call> out(script.pending.begin(), script.pending.end());
    script.pending.clear();
    return out;
  }

  /// Answers every pending place of every probe (inbound ids from 100 on); returns where
  /// each client went.
  std::map<std::string, std::string> accept_places() {
    std::map<std::string, std::string> out;
    int64_t inbound = 100;
    for (const auto& [id, script] : scripts)
      for (const auto& call : take(id)) {
        REQUIRE(call.what == "place");
        out[call.email] = id;
        script->reply(call, inbound++);
      }
    ds.consume();
    return out;
  }

  std::map<std::string, client_record> records() const {
    auto all = db->clients();
    REQUIRE(all);
    std::map<std::string, client_record> out;
    for (auto& c : *all)
      out[c.email] = std::move(c);
    return out;
  }

  std::vector<intent_record> open_intents() const {
    auto open = db->open_intents();
    REQUIRE(open);
    return *open;
  }

  std::vector<stale_copy> stale_on(const std::string& id) const {
    auto copies = db->stale_copies(id);
    REQUIRE(copies);
    return *copies;
  }

  /// The events of `type` in the log, oldest first.
  std::vector<event_record> events(const std::string& type) const {
    auto all = db->events_after(0, 100'000);
    REQUIRE(all);
    std::vector<event_record> out;
    for (auto& e : *all)
      if (e.type == type)
        out.push_back(std::move(e));
    return out;
  }

  subscription_answer subscription(const std::string& sub_id) {
    auto a = ask<subscription_answer>(ds, coordinator, subscription_atom_v, sub_id);
    ds.consume();
    return value(a);
  }

  drift_report drift_of(const std::string& id) {
    auto all = ask<std::vector<drift_report>>(ds, coordinator, drift_atom_v);
    ds.consume();
    for (const auto& r : value(all))
      if (r.server_id == id)
        return r;
    FAIL("no drift report for server " << id);
    return {};
  }
};

std::set<std::string> emails_of(const std::vector<probe_call>& calls) {
  std::set<std::string> out;
  for (const auto& c : calls)
    out.insert(c.email);
  return out;
}

std::set<std::string> sorted(const std::vector<std::string>& xs) {
  return {xs.begin(), xs.end()};
}

} // namespace

TEST_CASE_METHOD(evacuation_fixture,
                 "a server failing for evacuate_after has its clients placed on the others with "
                 "their uuid and sub_id, one move intent each",
                 "[unit][coordinator][evacuation]") {
  healthy_fleet();
  auto before = place_on("p1", 1, 3);
  report(agent, failed("p1"));
  CHECK(status("p1").state == evacuation_state::none);
  CHECK(subscription("sub-1").nothing_because == "its server cannot be reached now");

  // The first review sees it failing; it is due `grace` later, not before.
  ds.advance(1s);
  auto waiting = status("p1");
  CHECK(waiting.state == evacuation_state::waiting);
  CHECK(waiting.due_at_ms == ds.time().wall_ms() + grace.count());
  ds.advance(grace - 1ms);
  CHECK(status("p1").state == evacuation_state::waiting);
  CHECK(pending_count("place") == 0);
  ds.advance(1ms);
  auto moving = status("p1");
  CHECK(moving.state == evacuation_state::evacuating);
  CHECK(moving.moved == 0);
  CHECK(moving.pending == 3);
  CHECK_FALSE(moving.by_operator);
  auto started = events("server.evacuating");
  REQUIRE(started.size() == 1);
  CHECK(started.front().server_id == "p1");
  CHECK(started.front().data.at("clients") == 3);
  CHECK(started.front().data.at("by") == "policy");

  // Each client is placed once, elsewhere, as it was.
  std::vector<std::pair<std::string, probe_call>> calls;
  std::map<std::string, std::string> to;
  for (const auto* id : {"p2", "p3"})
    for (const auto& call : take(id)) {
      CHECK(call.what == "place");
      calls.emplace_back(id, call);
      CHECK(to.emplace(call.email, id).second);
    }
  REQUIRE(calls.size() == 3);
  CHECK(scripts.at("p1")->log.empty());
  for (const auto& [id, call] : calls) {
    REQUIRE(before.count(call.email) == 1);
    CHECK(call.order.uuid == before.at(call.email).uuid);
    CHECK(call.order.sub_id == before.at(call.email).sub_id);
    CHECK(call.order.enable);
  }
  auto open = open_intents();
  REQUIRE(open.size() == 3);
  for (const auto& intent : open) {
    CHECK(intent.kind == "move");
    CHECK(intent.from_server_id == "p1");
    REQUIRE(to.count(intent.email) == 1);
    CHECK(intent.server_id == to.at(intent.email));
    CHECK(intent.client.server_id == to.at(intent.email));
    CHECK(intent.client.uuid == before.at(intent.email).uuid);
  }
  // Until its panel answers, a client stays where it was.
  for (const auto& [email, r] : records())
    CHECK(r.server_id == "p1");

  // The records change as the panels answer, one move at a time.
  int64_t inbound = 40;
  int64_t moved = 0;
  for (const auto& [id, call] : calls) {
    scripts.at(id)->reply(call, ++inbound);
    ds.consume();
    ++moved;
    auto now = status("p1");
    CHECK(now.moved == moved);
    CHECK(now.pending == 3 - moved);
    CHECK(now.state == (moved < 3 ? evacuation_state::evacuating : evacuation_state::finished));
    CHECK(now.stale_copies == moved);
    auto r = records().at(call.email);
    CHECK(r.server_id == id);
    CHECK(r.inbound_id == inbound);
    CHECK(r.moved_at_ms == ds.time().wall_ms());
    CHECK(open_intents().size() == static_cast<size_t>(3 - moved));
  }
  for (const auto& [email, r] : records()) {
    const auto& old = before.at(email);
    CHECK(r.server_id == to.at(email));
    CHECK(r.uuid == old.uuid);
    CHECK(r.sub_id == old.sub_id);
    CHECK(r.user_id == old.user_id);
    CHECK(r.created_at_ms == old.created_at_ms);
  }
  auto left = stale_on("p1");
  REQUIRE(left.size() == 3);
  for (const auto& copy : left) {
    CHECK(copy.moved_to == to.at(copy.email));
    CHECK_FALSE(copy.disabled);
  }
  // The subscription follows its client to the panel that answers.
  auto sub = subscription("sub-1");
  CHECK(sub.found);
  CHECK(sub.who.uuid == "uuid-1");
  CHECK(sub.nothing_because == "its inbound is not known yet");

  auto moves = events("client.moved");
  REQUIRE(moves.size() == 3);
  std::set<std::string> moved_emails;
  for (const auto& e : moves) {
    moved_emails.insert(e.email);
    REQUIRE(to.count(e.email) == 1);
    CHECK(e.server_id == to.at(e.email));
    CHECK(e.data.at("from") == "p1");
    CHECK(e.data.at("to") == to.at(e.email));
    CHECK(e.data.at("inbound_id") == records().at(e.email).inbound_id);
  }
  CHECK(moved_emails.size() == 3);
  auto done = events("server.evacuated");
  REQUIRE(done.size() == 1);
  CHECK(done.front().server_id == "p1");
  CHECK(done.front().data.at("moved") == 3);
  CHECK(done.front().seq > moves.back().seq);

  // Later reviews start nothing again while it keeps failing.
  ds.advance(3 * grace);
  CHECK(pending_count("place") == 0);
  CHECK(status("p1").state == evacuation_state::finished);
  CHECK(events("server.evacuated").size() == 1);
  CHECK(events("server.evacuating").size() == 1);
}

TEST_CASE_METHOD(evacuation_fixture,
                 "waves write evacuation_batch clients to a panel and evacuation_parallel_panels "
                 "panels at once, one wave at a time",
                 "[unit][coordinator][evacuation]") {
  config.management.evacuation_batch = 2;
  // Left alone, round robin would spread the clients of a wave over p2 and p3.
  config.management.selection_strategy = "round_robin";
  std::vector<size_t> expected;
  SECTION("one panel per wave") {
    config.management.evacuation_parallel_panels = 1;
    expected = {2, 2, 1};
  }
  SECTION("two panels per wave") {
    config.management.evacuation_parallel_panels = 2;
    expected = {4, 1};
  }
  const auto panels = static_cast<size_t>(config.management.evacuation_parallel_panels);
  healthy_fleet();
  auto before = place_on("p1", 1, 5);
  fail_for_grace("p1");
  std::vector<size_t> waves;
  std::set<std::string> placed;
  while (pending_count("place") > 0 && waves.size() < 5) {
    auto wave = pending("place");
    size_t size = 0;
    for (const auto& [id, calls] : wave) {
      CHECK(calls.size() <= 2);
      size += calls.size();
    }
    CHECK(wave.size() <= panels);
    if (size == 4)
      CHECK(wave.size() == 2); // two clients to each of two panels
    CHECK(wave.count("p1") == 0);
    // Reviews meanwhile start no second wave.
    ds.advance(3s);
    CHECK(pending_count("place") == size);
    for (const auto& [id, calls] : wave)
      for (const auto& call : take(id)) {
        CHECK(placed.insert(call.email).second);
        scripts.at(id)->reply(call, int64_t{7});
      }
    ds.consume();
    waves.push_back(size);
  }
  CHECK(waves == expected);
  CHECK(placed.size() == 5);
  auto done = status("p1");
  CHECK(done.state == evacuation_state::finished);
  CHECK(done.moved == 5);
  CHECK(done.pending == 0);
  for (const auto& [email, r] : records())
    CHECK(r.server_id != "p1");
}

TEST_CASE_METHOD(evacuation_fixture,
                 "clients a destination fails to take move on a later wave to another server, "
                 "each recorded once",
                 "[unit][coordinator][evacuation]") {
  config.management.evacuation_batch = 2;
  config.management.evacuation_parallel_panels = 2;
  // With p1 and p2 failing, one server of three is healthy: not panic mode here.
  config.management.panic_threshold = 0.3;
  healthy_fleet();
  auto before = place_on("p1", 1, 5);
  fail_for_grace("p1");
  auto to_p2 = take("p2");
  auto to_p3 = take("p3");
  REQUIRE(to_p2.size() == 2);
  REQUIRE(to_p3.size() == 2);
  const auto kept = to_p2[0].email;
  const auto refused = to_p2[1].email;

  // p2 takes one client and goes down: the other place fails.
  scripts.at("p2")->reply(to_p2[0], int64_t{21});
  scripts.at("p2")->fail(to_p2[1], make_error(ec::panel_unavailable, "add clients: HTTP 502"));
  report(agent, failed("p2"));
  auto mid = status("p1");
  CHECK(mid.state == evacuation_state::evacuating);
  CHECK(mid.moved == 1);
  CHECK(mid.pending == 4);
  CHECK_THAT(mid.last_error, Catch::Contains("moving to server p2 failed"));
  // Nothing more is sent while the wave runs.
  CHECK(pending_count("place") == 0);
  CHECK(records().at(refused).server_id == "p1");

  scripts.at("p3")->reply(to_p3[0], int64_t{31});
  scripts.at("p3")->reply(to_p3[1], int64_t{32});
  ds.consume();
  // The next wave: the failed client and the one left, both to p3.
  std::set<std::string> rest;
  for (const auto& [email, r] : before)
    rest.insert(email);
  for (const auto& c : to_p2)
    rest.erase(c.email);
  for (const auto& c : to_p3)
    rest.erase(c.email);
  rest.insert(refused);
  auto again = take("p3");
  CHECK(emails_of(again) == rest);
  CHECK(scripts.at("p2")->pending.empty());
  for (const auto& call : again)
    scripts.at("p3")->reply(call, int64_t{33});
  ds.consume();

  auto done = status("p1");
  CHECK(done.state == evacuation_state::finished);
  CHECK(done.moved == 5);
  CHECK(done.pending == 0);
  CHECK(pending_count("place") == 0);
  // p2 was asked for each of its two clients once.
  CHECK(scripts.at("p2")->log.size() == 2);
  auto now = records();
  REQUIRE(now.size() == 5);
  CHECK(now.at(kept).server_id == "p2");
  CHECK(now.at(refused).server_id == "p3");
  for (const auto& [email, r] : now)
    CHECK(r.server_id != "p1");
  std::set<std::string> moved;
  for (const auto& e : events("client.moved")) {
    CHECK(moved.insert(e.email).second);
    CHECK(e.data.at("to") == now.at(e.email).server_id);
  }
  CHECK(moved.size() == 5);
  std::set<std::string> copies;
  for (const auto& c : stale_on("p1"))
    CHECK(copies.insert(c.email).second);
  CHECK(copies.size() == 5);
  CHECK(stale_on("p2").empty());
  CHECK(stale_on("p3").empty());
  CHECK(open_intents().empty());
}

TEST_CASE_METHOD(evacuation_fixture,
                 "a destination that refuses a client with a conflict is not chosen again for it",
                 "[unit][coordinator][evacuation]") {
  healthy_fleet();
  place_on("p1", 1, 1);
  fail_for_grace("p1");
  auto& p2 = *scripts.at("p2");
  REQUIRE(p2.pending.size() == 1);
  p2.fail(p2.next(), make_error(ec::conflict, "email u1 is on the panel already"));
  ds.consume();
  auto refused = status("p1");
  CHECK(refused.state == evacuation_state::evacuating);
  CHECK(refused.pending == 1);
  CHECK_THAT(refused.last_error, Catch::Contains("moving to server p2 failed"));
  CHECK(records().at("u1").server_id == "p1");
  CHECK(open_intents().empty());
  // A wave that moved nobody waits for the next review.
  CHECK(pending_count("place") == 0);
  ds.advance(1s);
  // p2 is still the least loaded, but the next try goes to p3.
  CHECK(p2.pending.empty());
  auto& p3 = *scripts.at("p3");
  REQUIRE(p3.pending.size() == 1);
  auto call = p3.next();
  CHECK(call.email == "u1");
  p3.reply(call, int64_t{3});
  ds.consume();
  CHECK(records().at("u1").server_id == "p3");
  CHECK(status("p1").state == evacuation_state::finished);
  CHECK(p2.log == strings{"place u1"});
}

TEST_CASE_METHOD(evacuation_fixture, "in panic mode nothing is evacuated",
                 "[unit][coordinator][evacuation]") {
  healthy_fleet();
  place_on("p1", 1, 2);
  // Two of three servers failing: below panic_threshold (0.5).
  report(agent, failed("p1"));
  report(agent, failed("p2"));
  ds.advance(1s);
  ds.advance(grace);
  auto held = status("p1");
  CHECK(held.state == evacuation_state::held_back);
  CHECK_THAT(held.held_back_because, Catch::StartsWith("panic mode"));
  CHECK(held.moved == 0);
  CHECK_THAT(status("p2").held_back_because, Catch::StartsWith("panic mode"));
  ds.advance(3 * grace);
  CHECK(pending_count("place") == 0);
  for (const auto& [email, r] : records())
    CHECK(r.server_id == "p1");
  CHECK(events("client.moved").empty());
  CHECK(events("server.evacuating").empty());

  // Panic over (p2 back): p1, due long ago, goes at the next review.
  report(agent, passed("p2", 20));
  ds.advance(1s);
  CHECK(status("p1").state == evacuation_state::evacuating);
  CHECK(status("p1").held_back_because.empty());
  CHECK(pending_count("place") == 2);
}

TEST_CASE_METHOD(evacuation_fixture,
                 "max_evacuation_percent holds a second failing server back for one "
                 "evacuate_after window",
                 "[unit][coordinator][evacuation]") {
  // One evacuation per window of three servers (20 % of 3, at least one); p1 and p2 failing
  // leave one server healthy, which is not panic mode here.
  config.management.max_evacuation_percent = 20;
  config.management.panic_threshold = 0.3;
  healthy_fleet();
  place_on("p1", 1, 1);
  place_on("p2", 2, 1);
  report(agent, failed("p1"));
  report(agent, failed("p2"));
  ds.advance(1s);
  ds.advance(grace);
  CHECK(status("p1").state == evacuation_state::evacuating);
  auto held = status("p2");
  CHECK(held.state == evacuation_state::held_back);
  CHECK_THAT(held.held_back_because,
             Catch::StartsWith("1 of at most 1 evacuations started")
                 && Catch::Contains("max_evacuation_percent 20% of 3 servers"));
  auto& p3 = *scripts.at("p3");
  REQUIRE(p3.pending.size() == 1);
  CHECK(p3.pending.front().email == "u1");
  accept_places();
  CHECK(records().at("u1").server_id == "p3");
  CHECK(records().at("u2").server_id == "p2");

  // The window of p1's start (the review at grace + 1s) ends one grace later.
  ds.advance(grace - 1ms);
  CHECK(status("p2").state == evacuation_state::held_back);
  CHECK(pending_count("place") == 0);
  ds.advance(1ms);
  CHECK(status("p2").state == evacuation_state::evacuating);
  REQUIRE(p3.pending.size() == 1);
  CHECK(p3.pending.front().email == "u2");
  accept_places();
  CHECK(records().at("u2").server_id == "p3");
  CHECK(events("server.evacuated").size() == 2);
}

TEST_CASE_METHOD(evacuation_fixture,
                 "after a restart an open move is recorded when the new panel has the client, "
                 "and rolled back when it does not",
                 "[unit][coordinator][evacuation]") {
  healthy_fleet();
  auto before = place_on("p1", 1, 1);
  fail_for_grace("p1");
  // The coordinator goes while p2 adds the client.
  REQUIRE(take("p2").size() == 1);
  auto open = open_intents();
  REQUIRE(open.size() == 1);
  CHECK(open.front().kind == "move");
  CHECK(open.front().from_server_id == "p1");
  CHECK(open.front().server_id == "p2");
  stop();
  for (auto& [id, script] : scripts)
    script->log.clear();

  start(true);
  agent = connect_all();
  auto& p2 = *scripts.at("p2");
  REQUIRE(p2.pending.size() == 1);
  auto verify = p2.next();
  CHECK(verify.what == "verify");
  CHECK(verify.email == "u1");
  SECTION("the new panel has it: the move is recorded") {
    p2.reply(verify, int64_t{9});
    ds.consume();
    auto r = records().at("u1");
    CHECK(r.server_id == "p2");
    CHECK(r.inbound_id == 9);
    CHECK(r.uuid == before.at("u1").uuid);
    CHECK(r.sub_id == before.at("u1").sub_id);
    CHECK(r.moved_at_ms > 0);
    auto left = stale_on("p1");
    REQUIRE(left.size() == 1);
    CHECK(left.front().email == "u1");
    CHECK(left.front().moved_to == "p2");
    CHECK(status("p1").stale_copies == 1);
    auto moves = events("client.moved");
    REQUIRE(moves.size() == 1);
    CHECK(moves.front().email == "u1");
    CHECK(moves.front().data.at("from") == "p1");
    CHECK(moves.front().data.at("to") == "p2");
  }
  SECTION("the new panel does not have it: the client stays") {
    p2.reply(verify, int64_t{0});
    ds.consume();
    auto r = records().at("u1");
    CHECK(r.server_id == "p1");
    CHECK(r.inbound_id == before.at("u1").inbound_id);
    CHECK(r.moved_at_ms == 0);
    CHECK(stale_on("p1").empty());
    CHECK(status("p1").stale_copies == 0);
    CHECK(events("client.moved").empty());
  }
  CHECK(open_intents().empty());
  // Resolving asks; it never places the client again.
  for (const auto& [id, script] : scripts)
    for (const auto& line : script->log)
      CHECK(line.rfind("place", 0) != 0);
}

TEST_CASE_METHOD(evacuation_fixture,
                 "copies left by moves go in one batch when the old server passes a check, and "
                 "are disabled and kept when that fails",
                 "[unit][coordinator][evacuation]") {
  healthy_fleet();
  auto before = place_on("p1", 1, 3);
  fail_for_grace("p1");
  auto to = accept_places();
  REQUIRE(to.size() == 3);
  REQUIRE(status("p1").state == evacuation_state::finished);
  REQUIRE(status("p1").stale_copies == 3);
  auto& p1 = *scripts.at("p1");
  // A failing panel is not asked.
  ds.advance(5s);
  CHECK(p1.log.empty());

  report(agent, passed("p1"));
  REQUIRE(p1.pending.size() == 1);
  CHECK(p1.log == strings{"remove u1,u2,u3"});
  auto remove = p1.next();
  SECTION("the panel deletes them: they are forgotten") {
    p1.reply(remove, int64_t{3});
    ds.consume();
    CHECK(status("p1").stale_copies == 0);
    CHECK(stale_on("p1").empty());
    report(agent, passed("p1"));
    CHECK(p1.pending.empty());
    CHECK(p1.log.size() == 1);
  }
  SECTION("the panel cannot delete them: they are disabled and kept") {
    p1.fail(remove, make_error(ec::panel_unavailable, "update inbound: HTTP 502"));
    ds.consume();
    auto amends = take("p1");
    REQUIRE(amends.size() == 3);
    for (const auto& call : amends) {
      CHECK(call.what == "amend");
      REQUIRE(before.count(call.email) == 1);
      CHECK_FALSE(call.order.enable);
      CHECK(call.order.uuid == before.at(call.email).uuid);
      p1.reply(call, int64_t{1});
    }
    CHECK(emails_of(amends) == std::set<std::string>{"u1", "u2", "u3"});
    ds.consume();
    auto kept = stale_on("p1");
    REQUIRE(kept.size() == 3);
    for (const auto& copy : kept)
      CHECK(copy.disabled);
    CHECK(status("p1").stale_copies == 3);
    // The records still say where the clients live, enabled.
    for (const auto& [email, r] : records()) {
      CHECK(r.server_id == to.at(email));
      CHECK(r.enable);
    }

    // A reconcile counts them as stale, never foreign; a copy the panel no longer holds is
    // forgotten, the others are deleted again.
    caf::anon_send(coordinator, reconcile_atom_v, std::string{"p1"});
    ds.consume();
    REQUIRE(p1.pending.size() == 1);
    auto inventory = p1.next();
    CHECK(inventory.what == "inventory");
    p1.reply(inventory, std::vector<panel_entry>{{"u1", 1, "uuid-1", false},
                                                 {"U2", 1, "uuid-2", false},
                                                 {"stray", 1, "other", true}});
    ds.consume();
    auto drift = drift_of("p1");
    CHECK(sorted(drift.stale) == std::set<std::string>{"U2", "u1"});
    CHECK(drift.foreign == strings{"stray"});
    CHECK(drift.missing.empty());
    CHECK(drift.wrong_enable.empty());
    auto left = stale_on("p1");
    REQUIRE(left.size() == 2);
    CHECK(status("p1").stale_copies == 2);
    REQUIRE(p1.pending.size() == 1);
    auto retry = p1.next();
    CHECK(retry.what == "remove");
    CHECK(retry.email == "u1,u2");
  }
}

TEST_CASE_METHOD(evacuation_fixture,
                 "an operator's evacuation drains a healthy server and deletes the copies right "
                 "after the moves",
                 "[unit][coordinator][evacuation]") {
  healthy_fleet();
  auto before = place_on("p1", 1, 2);
  auto started = evacuate("p1");
  CHECK(value(started).by_operator);
  CHECK(value(started).state == evacuation_state::evacuating);
  CHECK(value(started).pending == 2);
  CHECK(health("p1").state == server_state::draining);
  CHECK(events("server.draining").size() == 1);
  // The least loaded, but drained: no new client lands there.
  CHECK(selected() == "p2");
  auto& p1 = *scripts.at("p1");
  // Its clients stay until they are on their new server.
  CHECK(p1.pending.empty());
  REQUIRE(pending_count("place") == 2);

  auto to = accept_places();
  REQUIRE(p1.pending.size() == 1);
  auto remove = p1.next();
  CHECK(remove.what == "remove");
  CHECK(remove.email == "u1,u2");
  auto done = status("p1");
  CHECK(done.state == evacuation_state::finished);
  CHECK(done.moved == 2);
  CHECK(done.stale_copies == 2);
  CHECK(events("server.evacuated").size() == 1);
  p1.reply(remove, int64_t{2});
  ds.consume();
  CHECK(status("p1").stale_copies == 0);
  CHECK(stale_on("p1").empty());
  for (const auto& [email, r] : records()) {
    CHECK(r.server_id == to.at(email));
    CHECK(r.uuid == before.at(email).uuid);
  }
  CHECK(health("p1").state == server_state::draining);

  auto unknown = evacuate("nope");
  CHECK(code_of(failure(unknown)) == ec::not_found);
}

TEST_CASE_METHOD(evacuation_fixture,
                 "a client whose open move is being resolved after a restart is not moved "
                 "again meanwhile",
                 "[unit][coordinator][evacuation]") {
  healthy_fleet();
  place_on("p1", 1, 1);
  fail_for_grace("p1");
  // p2 adds the client, and the coordinator goes before it hears so.
  REQUIRE(take("p2").size() == 1);
  stop();
  start(true);
  agent = connect_all();
  report(agent, passed("p2", 40));
  report(agent, passed("p3", 30));
  auto& p2 = *scripts.at("p2");
  REQUIRE(p2.pending.size() == 1);
  auto verify = p2.next();
  REQUIRE(verify.what == "verify");

  // The operator evacuates p1 while p2 is being asked about the client.
  auto started = evacuate("p1");
  REQUIRE(started->has_value());
  CHECK(pending_count("place") == 0);

  // Whatever was sent, every panel holding the client is its recorded server or holds a
  // copy the coordinator knows as stale.
  std::set<std::string> holders{"p2"};
  for (const auto& [email, id] : accept_places())
    holders.insert(id);
  p2.reply(verify, int64_t{9});
  ds.consume();
  auto r = records().at("u1");
  for (const auto& id : holders) {
    if (id == r.server_id)
      continue;
    auto copies = stale_on(id);
    CHECK(std::any_of(copies.begin(), copies.end(),
                      [](const stale_copy& c) { return c.email == "u1"; }));
  }
  CHECK(open_intents().empty());
}

TEST_CASE_METHOD(evacuation_fixture,
                 "an operator's evacuation in several waves deletes the copies of every wave "
                 "right after its moves",
                 "[unit][coordinator][evacuation]") {
  config.management.evacuation_batch = 1;
  config.management.evacuation_parallel_panels = 1;
  healthy_fleet();
  place_on("p1", 1, 2);
  auto started = evacuate("p1");
  REQUIRE(started->has_value());
  auto& p1 = *scripts.at("p1");
  REQUIRE(pending_count("place") == 1);
  accept_places();
  REQUIRE(p1.pending.size() == 1);
  auto first = p1.next();
  CHECK(first.what == "remove");
  // The second wave is answered while the first copy is being deleted.
  REQUIRE(pending_count("place") == 1);
  accept_places();
  p1.reply(first, int64_t{1});
  ds.consume();
  CHECK(status("p1").state == evacuation_state::finished);
  // Its copy goes as well, without waiting for the next check of p1.
  REQUIRE(p1.pending.size() == 1);
  auto second = p1.next();
  CHECK(second.what == "remove");
  CHECK(second.email != first.email);
  p1.reply(second, int64_t{1});
  ds.consume();
  CHECK(status("p1").stale_copies == 0);
}

TEST_CASE_METHOD(evacuation_fixture, "a disabled copy keeps where its client went and when",
                 "[unit][coordinator][evacuation]") {
  healthy_fleet();
  place_on("p1", 1, 1);
  fail_for_grace("p1");
  accept_places();
  auto& p1 = *scripts.at("p1");
  report(agent, passed("p1"));
  REQUIRE(p1.pending.size() == 1);
  p1.fail(p1.next(), make_error(ec::panel_unavailable, "update inbound: HTTP 502"));
  ds.consume();
  REQUIRE(p1.pending.size() == 1);
  auto amend = p1.next();
  REQUIRE(amend.what == "amend");
  p1.reply(amend, int64_t{1});
  ds.consume();
  auto r = records().at("u1");
  auto kept = stale_on("p1");
  REQUIRE(kept.size() == 1);
  CHECK(kept.front().disabled);
  CHECK(kept.front().moved_to == r.server_id);
  CHECK(kept.front().moved_at_ms == r.moved_at_ms);
}

TEST_CASE_METHOD(evacuation_fixture,
                 "evacuating a server without clients finishes with a server.evacuated event",
                 "[unit][coordinator][evacuation]") {
  healthy_fleet();
  SECTION("on the operator's request") {
    auto started = evacuate("p3");
    REQUIRE(started->has_value());
  }
  SECTION("failing for evacuate_after") {
    fail_for_grace("p3");
  }
  CHECK(status("p3").state == evacuation_state::finished);
  CHECK(pending_count("place") == 0);
  CHECK(events("server.evacuating").size() == 1);
  auto done = events("server.evacuated");
  REQUIRE(done.size() == 1);
  CHECK(done.front().server_id == "p3");
  CHECK(done.front().data.at("moved") == 0);
}
