#include "coordinator/drift/drift.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

namespace {

client_record recorded(const std::string& email, const std::string& uuid, bool enable = true) {
  client_record r;
  r.email = email;
  r.uuid = uuid;
  r.server_id = "a";
  r.enable = enable;
  return r;
}

panel_entry held(const std::string& email, const std::string& key, bool enable = true) {
  return panel_entry{email, 1, key, enable};
}

} // namespace

TEST_CASE("matching clients make a clean report", "[drift]") {
  auto report = compare_clients("a", {recorded("u1", "k1"), recorded("u2", "k2")},
                                {held("U1", "k1"), held("u2", "k2")}, {});
  CHECK(report.server_id == "a");
  CHECK(report.clean());
}

TEST_CASE("a wiped panel misses every recorded client", "[drift]") {
  auto report = compare_clients("a", {recorded("u1", "k1"), recorded("u2", "k2")}, {}, {});
  CHECK(report.missing == std::vector<std::string>{"u1", "u2"});
  CHECK(report.foreign.empty());
  CHECK_FALSE(report.clean());
}

TEST_CASE("foreign clients, other keys and other enable flags are told apart", "[drift]") {
  auto report = compare_clients(
      "a", {recorded("u1", "k1"), recorded("u2", "k2"), recorded("u3", "k3", false)},
      {held("u1", "k1"), held("u2", "other"), held("u3", "k3", true), held("hand-made", "k9")}, {});
  CHECK(report.missing.empty());
  CHECK(report.wrong_key == std::vector<std::string>{"u2"});
  CHECK(report.wrong_enable == std::vector<std::string>{"u3"});
  CHECK(report.foreign == std::vector<std::string>{"hand-made"});
}

TEST_CASE("clients with an operation in flight are left out", "[drift]") {
  auto report = compare_clients("a", {recorded("u1", "k1")}, {held("u9", "k9")}, {"u1", "u9"});
  CHECK(report.clean());
}
