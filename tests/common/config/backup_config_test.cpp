#include "common/config/config.hpp"
#include "tests/common/config/config_test_support.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

namespace {

/// A valid config whose `coordinator.backup` is `backup` and whose data dir is `data_dir`.
std::string with_backup(const std::string& backup, const std::string& data_dir = "/var/lib/fleet") {
  return R"({"xui_servers": [{"id": 1, "host": "panel.example", "port": 2053,
              "username": "admin", "password": "pw"}],
             "coordinator": {"data_dir": ")"
         + data_dir + R"(", "backup": )" + backup + "}}";
}

std::vector<std::string> errors_with(const std::string& backup,
                                     const std::string& data_dir = "/var/lib/fleet") {
  return errors_of(parse(with_backup(backup, data_dir)));
}

} // namespace

TEST_CASE("coordinator.backup: dir, every and keep, with defaults", "[unit][config]") {
  auto loaded = parse(with_backup(R"({"dir": "/backups/fleet", "every": "6h", "keep": 7})"));
  CHECK(loaded.problems.empty());
  const auto& b = loaded.config.coordinator.backup;
  CHECK(b.dir == "/backups/fleet");
  CHECK(b.every == std::chrono::hours{6});
  CHECK(b.keep == 7);
  auto defaults = parse(with_backup(R"({"dir": "/backups/fleet"})"));
  CHECK(defaults.problems.empty());
  CHECK(defaults.config.coordinator.backup.every == std::chrono::hours{6});
  CHECK(defaults.config.coordinator.backup.keep == 7);
  // Without the block: no scheduled backups.
  CHECK(parse(one_server()).config.coordinator.backup.dir.empty());
}

TEST_CASE("coordinator.backup: each bad field is one error naming it", "[unit][config]") {
  CHECK(errors_with(R"({"every": "6h"})")
        == std::vector<std::string>{"coordinator.backup.dir: missing"});
  CHECK(errors_with(R"({"dir": ""})")
        == std::vector<std::string>{
            "coordinator.backup.dir: must not be empty; name the directory backups go to"});
  auto bad_duration = errors_with(R"({"dir": "/b", "every": "six hours"})");
  REQUIRE(bad_duration.size() == 1);
  CHECK_THAT(bad_duration[0], Catch::StartsWith("coordinator.backup.every: "));
  CHECK(errors_with(R"({"dir": "/b", "every": 6})")
        == std::vector<std::string>{
            "coordinator.backup.every: expected a duration string like \"30s\", got integer"});
  CHECK(errors_with(R"({"dir": "/b", "every": "0s"})")
        == std::vector<std::string>{
            "coordinator.backup.every: 0s is too short; back up at most once a second"});
  CHECK(errors_with(R"({"dir": "/b", "keep": 0})")
        == std::vector<std::string>{"coordinator.backup.keep: 0 is out of range 1..1000"});
  CHECK(errors_with(R"("/b")")
        == std::vector<std::string>{"coordinator.backup: expected an object, got string"});
}

TEST_CASE("coordinator.backup: the directory is not the data dir, nor in or around it",
          "[unit][config]") {
  auto overlap = [](const std::string& dir, const std::string& data) {
    return "coordinator.backup.dir: \"" + dir + "\" overlaps coordinator.data_dir (\"" + data
           + "\"); keep backups in a directory of their own, best on another disk";
  };
  CHECK(errors_with(R"({"dir": "/var/lib/fleet/"})")
        == std::vector<std::string>{overlap("/var/lib/fleet/", "/var/lib/fleet")});
  CHECK(errors_with(R"({"dir": "/var/lib/fleet/backups"})")
        == std::vector<std::string>{overlap("/var/lib/fleet/backups", "/var/lib/fleet")});
  CHECK(errors_with(R"({"dir": "/var/lib"})")
        == std::vector<std::string>{overlap("/var/lib", "/var/lib/fleet")});
  CHECK(errors_with(R"({"dir": "data"})", "data")
        == std::vector<std::string>{overlap("data", "data")});
  CHECK(errors_with(R"({"dir": "/var/lib/fleet-backups"})").empty());
  CHECK(errors_with(R"({"dir": "backups"})", "data").empty());
}

TEST_CASE("coordinator.backup: unknown fields are warnings", "[unit][config]") {
  auto loaded = parse(with_backup(R"({"dir": "/b", "kepp": 3})"));
  CHECK_FALSE(has_errors(loaded.problems));
  REQUIRE(loaded.problems.size() == 1);
  CHECK(loaded.problems[0].to_string() == "coordinator.backup.kepp: unknown field, ignored");
}
