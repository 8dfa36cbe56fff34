#include "coordinator/registry/server_registry.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace fleet;

namespace {

std::vector<server_config> servers(std::initializer_list<const char*> ids) {
  std::vector<server_config> out;
  for (const auto* id : ids) {
    server_config s;
    s.id = id;
    s.name = id;
    s.max_clients = 10;
    out.push_back(s);
  }
  return out;
}

management_settings passive_after(int64_t failures, int64_t max_percent) {
  management_settings m;
  m.passive_failure_threshold = failures;
  m.max_ejection_percent = max_percent;
  m.healthy_threshold = 2;
  return m;
}

health_report check(const std::string& id, server_state state, check_verdict verdict,
                    int64_t active = 0) {
  health_report r;
  r.server_id = id;
  r.state = state;
  r.verdict = verdict;
  r.panel.active_clients = active;
  r.checked_at_ms = 1'000;
  if (verdict != check_verdict::passed)
    r.last_error = "panel_timeout: no answer";
  return r;
}

health_report passed(const std::string& id, int64_t active = 0) {
  return check(id, server_state::healthy, check_verdict::passed, active);
}

operations_report failures(const std::string& id, int64_t n) {
  return {id, n, "panel_unavailable: HTTP 500"};
}

bool has_flag(const server_health& h, const char* flag) {
  return std::find(h.flags.begin(), h.flags.end(), flag) != h.flags.end();
}

struct fixture {
  explicit fixture(std::vector<server_config> list, management_settings m = {})
      : config(std::move(list)), registry(config, m, view) {}
  std::vector<server_config> config;
  fleet_view view;
  server_registry registry;

  [[nodiscard]] server_health health(const std::string& id) const {
    return registry.health_of(*registry.find(id));
  }
  [[nodiscard]] bool selectable(const std::string& id) const {
    return view.slot(*view.find(id)).available();
  }
};

} // namespace

TEST_CASE("a server waits for its first check and follows the active checks", "[unit][registry]") {
  fixture f{servers({"a"})};
  CHECK(f.health("a").state == server_state::unknown);
  CHECK(f.health("a").flags == std::vector<std::string>{"unchecked"});
  CHECK_FALSE(f.selectable("a"));
  auto up = f.registry.apply(passed("a", 4));
  CHECK(up.before == server_state::unknown);
  CHECK(up.after == server_state::healthy);
  CHECK(up.availability_changed());
  CHECK(f.selectable("a"));
  CHECK(f.health("a").flags.empty());
  CHECK(f.health("a").is_healthy);
  CHECK(f.health("a").current_load == Approx(0.4));
  CHECK(f.registry.stats_of(*f.registry.find("a")).load_percentage == Approx(40.0));
  auto down = f.registry.apply(check("a", server_state::unhealthy, check_verdict::network_failure));
  CHECK(down.after == server_state::unhealthy);
  CHECK(f.health("a").flags == std::vector<std::string>{"active_check_failed"});
  CHECK(f.health("a").last_error == "panel_timeout: no answer");
  CHECK_FALSE(f.selectable("a"));
}

TEST_CASE("flags of different sources are kept apart", "[unit][registry]") {
  auto list = servers({"a", "b"});
  list[1].agent = "edge";
  fixture f{list};
  CHECK(f.health("b").state == server_state::unreachable);
  CHECK(f.health("b").last_error == "agent edge has not connected yet");
  f.registry.apply(passed("a"));
  f.registry.set_admin("a", admin_state::draining);
  f.registry.apply(check("a", server_state::unhealthy, check_verdict::xray_down));
  // The operator's drain and the failed check both show; the drain decides the state.
  auto h = f.health("a");
  CHECK(h.state == server_state::draining);
  CHECK(has_flag(h, "active_check_failed"));
  CHECK(has_flag(h, "draining"));
  CHECK_FALSE(h.is_healthy);
  // Lifting the drain does not lift the failed check.
  f.registry.set_admin("a", admin_state::active);
  CHECK(f.health("a").state == server_state::unhealthy);
  CHECK_FALSE(f.selectable("a"));
  f.registry.apply(passed("a"));
  CHECK(f.selectable("a"));

  // An agent that comes back leaves its server waiting for the probe's first check, not
  // with what was known before it left.
  f.registry.regain_agent("b");
  CHECK(f.health("b").state == server_state::unknown);
  f.registry.apply(passed("b"));
  CHECK(f.selectable("b"));
  f.registry.lose_agent("b", "agent edge disconnected");
  CHECK(f.health("b").flags == std::vector<std::string>{"agent_lost"});
  CHECK(f.health("b").state == server_state::unreachable);
  f.registry.regain_agent("b");
  CHECK(f.health("b").state == server_state::unknown);
  // A renewed registration of a connected agent changes nothing.
  f.registry.apply(passed("b"));
  CHECK(f.registry.regain_agent("b").after == server_state::healthy);
}

TEST_CASE("the coordinator ejects passively and healthy checks bring the server back",
          "[unit][registry]") {
  fixture f{servers({"a", "b", "c", "d"}), passive_after(3, 50)};
  for (const auto* id : {"a", "b", "c", "d"})
    f.registry.apply(passed(id));
  CHECK_FALSE(f.registry.apply(failures("a", 2)).state_changed());
  auto out = f.registry.apply(failures("a", 3));
  CHECK(out.after == server_state::unhealthy);
  CHECK(f.health("a").flags == std::vector<std::string>{"passive_failure"});
  CHECK_THAT(f.health("a").last_error, Catch::Contains("3 client operations failed in a row"));
  CHECK(f.registry.ejected() == 1);
  // A passed check keeps the reason and is the first of the two that bring it back.
  CHECK_FALSE(f.registry.apply(passed("a")).state_changed());
  CHECK_THAT(f.health("a").last_error, Catch::Contains("client operations failed"));
  CHECK(f.registry.apply(passed("a")).after == server_state::healthy);
  CHECK(f.registry.ejected() == 0);
  CHECK(f.health("a").last_error.empty());
}

TEST_CASE("each passive ejection in a row holds a server out longer, until a change works",
          "[unit][registry]") {
  fixture f{servers({"a", "b", "c", "d"}), passive_after(3, 50)}; // healthy_threshold 2
  for (const auto* id : {"a", "b", "c", "d"})
    f.registry.apply(passed(id));
  // Passed checks until the server returns to selection.
  auto passes_to_return = [&f] {
    int n = 0;
    while (n < 100 && f.health("a").state != server_state::healthy) {
      f.registry.apply(passed("a"));
      ++n;
    }
    return n;
  };
  REQUIRE(f.registry.apply(failures("a", 3)).after == server_state::unhealthy);
  CHECK(passes_to_return() == 2);
  // Its probe counts on while it is out: the first change that fails after its return takes
  // it out again at once, for twice as long, and so on up to ten times.
  for (int64_t n = 2; n <= 12; ++n) {
    REQUIRE(f.registry.apply(failures("a", 2 + n)).after == server_state::unhealthy);
    CHECK(passes_to_return() == 2 * std::min<int64_t>(n, server_registry::max_ejection_multiplier));
  }
  // A change that works there ends the run: the next ejection lasts the first one's time.
  CHECK_FALSE(f.registry.apply(failures("a", 0)).state_changed());
  REQUIRE(f.registry.apply(failures("a", 3)).after == server_state::unhealthy);
  CHECK(passes_to_return() == 2);
}

TEST_CASE("passive ejection holds at most its cap out, and active checks still decide",
          "[unit][registry]") {
  CHECK(ejection_limit(10, 30) == 3);
  CHECK(ejection_limit(3, 30) == 1);
  CHECK(ejection_limit(3, 0) == 1);
  CHECK(ejection_limit(4, 100) == 4);

  fixture f{servers({"a", "b", "c"}), passive_after(2, 30)};
  for (const auto* id : {"a", "b", "c"})
    f.registry.apply(passed(id));
  CHECK(f.registry.ejection_limit() == 1);
  f.registry.apply(failures("a", 2));
  auto refused = f.registry.apply(failures("b", 2));
  CHECK(refused.ejection_refused);
  CHECK_FALSE(refused.state_changed());
  CHECK(f.selectable("b"));
  CHECK_THAT(f.health("b").last_error, Catch::Contains("client operations failed in a row")
                                           && Catch::Contains("max_ejection_percent"));
  // Said once per run of failures.
  CHECK_FALSE(f.registry.apply(failures("b", 3)).ejection_refused);
  // b's active checks fail: out at once, whatever the cap.
  CHECK(f.registry.apply(check("b", server_state::unhealthy, check_verdict::network_failure)).after
        == server_state::unhealthy);
  // a fails its active checks as well: they take over and free its place under the cap.
  f.registry.apply(check("a", server_state::unhealthy, check_verdict::network_failure));
  CHECK(f.registry.ejected() == 0);
  CHECK(f.health("a").flags == std::vector<std::string>{"active_check_failed"});
  CHECK(f.registry.apply(failures("c", 2)).after == server_state::unhealthy);
  CHECK(f.registry.ejected() == 1);
}

TEST_CASE("a passive threshold of 0 turns passive ejection off", "[unit][registry]") {
  fixture f{servers({"a"}), passive_after(0, 100)};
  f.registry.apply(passed("a"));
  CHECK_FALSE(f.registry.apply(failures("a", 50)).state_changed());
  CHECK(f.selectable("a"));
}

TEST_CASE("restored state answers at once, and the configuration's disable wins",
          "[unit][registry]") {
  auto list = servers({"a", "b", "c", "d"});
  list[1].enabled = false;
  list[3].agent = "edge";
  fixture f{list};
  server_health healthy;
  healthy.is_healthy = true;
  healthy.state = server_state::draining;
  healthy.active_clients = 7;
  f.registry.restore("a", admin_state::draining, healthy);
  f.registry.restore("b", admin_state::active, healthy);
  server_health failed;
  failed.state = server_state::unhealthy;
  failed.last_error = "auth_failure";
  f.registry.restore("c", admin_state::active, failed);
  f.registry.restore("d", admin_state::active, healthy);
  CHECK(f.health("a").state == server_state::draining);
  CHECK(f.health("a").is_healthy);
  CHECK(f.health("a").active_clients == 7);
  CHECK(f.health("b").state == server_state::disabled);
  CHECK(f.health("c").state == server_state::unhealthy);
  CHECK(f.health("c").last_error == "auth_failure");
  CHECK(f.health("d").state == server_state::unreachable);
  f.registry.set_admin("a", admin_state::active);
  CHECK(f.selectable("a"));
}

TEST_CASE("placements raise the believed load until the next sample", "[unit][registry]") {
  fixture f{servers({"a"})};
  f.registry.apply(passed("a", 2));
  f.registry.placed("a");
  f.registry.placed("a");
  CHECK(f.health("a").current_load == Approx(0.4));
  f.registry.apply(passed("a", 3));
  CHECK(f.health("a").current_load == Approx(0.3));
  CHECK(f.health("a").active_clients == 3);
}

TEST_CASE("a reconfigured registry keeps the health of kept servers and retires the others",
          "[unit][registry]") {
  fleet_view view;
  auto m = passive_after(3, 50);
  server_registry reg{servers({"a", "b"}), m, view};
  (void)reg.apply(check("a", server_state::healthy, check_verdict::passed, 4));
  (void)reg.apply(check("b", server_state::healthy, check_verdict::passed));
  auto next = servers({"c", "a"});
  next[1].max_clients = 20;
  next[1].region = "EU";
  reg.reconfigure(next, m);
  REQUIRE(reg.entries().size() == 2);
  CHECK(reg.entries()[0].id == "c");
  CHECK(reg.entries()[0].state() == server_state::unknown);
  const auto* a = reg.find("a");
  REQUIRE(a != nullptr);
  CHECK(a->state() == server_state::healthy);
  CHECK(a->max_clients == 20);
  CHECK(view.slot(a->slot).load() == Approx(0.2));
  CHECK(view.find_scope("EU").has_value());
  CHECK(reg.find("b") == nullptr);
  auto b_slot = view.find("b");
  REQUIRE(b_slot.has_value());
  CHECK(view.slot(*b_slot).retired);
  CHECK_FALSE(view.slot(*b_slot).available());
  // Added again, b gets its slot back and waits for a first check.
  reg.reconfigure(servers({"a", "b"}), m);
  REQUIRE(reg.find("b") != nullptr);
  CHECK(reg.find("b")->slot == *b_slot);
  CHECK_FALSE(view.slot(*b_slot).retired);
  CHECK(reg.find("b")->state() == server_state::unknown);
}

TEST_CASE("a server the reloaded file disables is disabled, and active when enabled again",
          "[unit][registry]") {
  fleet_view view;
  auto m = passive_after(3, 50);
  server_registry reg{servers({"a"}), m, view};
  (void)reg.apply(check("a", server_state::healthy, check_verdict::passed));
  auto off = servers({"a"});
  off[0].enabled = false;
  reg.reconfigure(off, m);
  CHECK(reg.find("a")->state() == server_state::disabled);
  CHECK_FALSE(view.slot(reg.find("a")->slot).available());
  reg.reconfigure(servers({"a"}), m);
  CHECK(reg.find("a")->state() == server_state::healthy);
  CHECK(view.slot(reg.find("a")->slot).available());
}
