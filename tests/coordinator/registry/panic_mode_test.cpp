#include "coordinator/registry/panic_mode.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

namespace {

server_entry checked(bool healthy) {
  server_entry e;
  e.flags.set(health_flag::active_check_failed, !healthy);
  return e;
}

} // namespace

TEST_CASE("panic begins below the threshold of healthy servers and ends above it",
          "[unit][registry]") {
  panic_mode panic{0.5};
  std::vector<server_entry> fleet{checked(true), checked(false), checked(false)};
  auto now = panic.update(fleet);
  CHECK(now.changed);
  CHECK(panic.active());
  CHECK(now.healthy == 1);
  CHECK(now.enabled == 3);
  CHECK_FALSE(panic.update(fleet).changed);
  fleet[1] = checked(true);
  now = panic.update(fleet);
  CHECK(now.changed);
  CHECK_FALSE(panic.active());
}

TEST_CASE("panic waits for every server's first check and ignores disabled ones",
          "[unit][registry]") {
  panic_mode panic{0.5};
  std::vector<server_entry> fleet{checked(false), server_entry{}};
  fleet[1].flags.set(health_flag::unchecked, true);
  CHECK_FALSE(panic.update(fleet).changed);
  CHECK_FALSE(panic.active());
  // A server whose agent is gone counts as not healthy, checked or not.
  fleet[1].flags.set(health_flag::agent_lost, true);
  CHECK(panic.update(fleet).changed);
  CHECK(panic.active());
  fleet[1].admin = admin_state::disabled;
  fleet.push_back(checked(true));
  auto now = panic.update(fleet);
  CHECK(now.enabled == 2);
  CHECK_FALSE(panic.active());
}
