// The emulator's business rules (3x-ui-api.md §5.3, §6.3), without HTTP.

#include "tools/fake_xui/fake_panel.hpp"

#include <catch2/catch.hpp>

using namespace fleet::fake;
using nlohmann::json;

namespace {

json vless_client(const std::string& email, const std::string& id) {
  return {{"id", id}, {"email", email}, {"enable", true}, {"totalGB", 0}, {"expiryTime", 0}};
}

} // namespace

TEST_CASE("seeded panels have a vless and a trojan inbound with one client each", "[unit][fake]") {
  fake_panel p{api_profile::classic};
  p.seed("x");
  REQUIRE(p.inbounds().size() == 2);
  CHECK(p.inbounds()[0].protocol == "vless");
  CHECK(p.inbounds()[1].protocol == "trojan");
  CHECK(p.client_count() == 2);
  CHECK(p.find_traffic("x-seed-vless") != nullptr);
}

TEST_CASE("emails are unique across inbounds, case-insensitively", "[unit][fake]") {
  fake_panel p{api_profile::classic};
  p.seed("x");
  CHECK(p.add_clients(1, json::array({vless_client("alice", "u1")})).empty());
  CHECK(p.add_clients(2, json::array({{{"password", "pw"}, {"email", "ALICE"}}}))
        == "Duplicate email: ALICE\n");
  CHECK(p.add_clients(1, json::array({vless_client("bob", "u2"), vless_client("Bob", "u3")}))
        == "Duplicate email: Bob\n");
  // The duplicate check runs before the inbound lookup.
  CHECK(p.add_clients(99, json::array({vless_client("alice", "u4")}))
        == "Duplicate email: alice\n");
  CHECK(p.add_clients(99, json::array({vless_client("new", "u5")})) == "record not found");
  CHECK(p.add_clients(1, json::array({{{"email", "noid"}}})) == "empty client ID\n");
}

TEST_CASE("several clients are added in one call, in order, with traffic rows", "[unit][fake]") {
  fake_panel p{api_profile::classic};
  p.seed("x");
  REQUIRE(p.add_clients(1, json::array({vless_client("a", "1"), vless_client("b", "2")})).empty());
  const auto& clients = p.find_inbound(1)->settings["clients"];
  REQUIRE(clients.size() == 3);
  CHECK(clients[1]["email"] == "a");
  CHECK(clients[2]["email"] == "b");
  CHECK(clients[2].contains("created_at"));
  CHECK(p.find_traffic("b") != nullptr);
}

TEST_CASE("v3.0.2 refuses clients without an email", "[unit][fake]") {
  fake_panel p{api_profile::classic_csrf};
  p.seed("x");
  CHECK(p.add_clients(1, json::array({vless_client("", "u1")})) == "client email is required\n");
  fake_panel old{api_profile::classic};
  old.seed("x");
  CHECK(old.add_clients(1, json::array({vless_client("", "u1")})).empty());
}

TEST_CASE("the last client of an inbound cannot be deleted on classic panels", "[unit][fake]") {
  fake_panel p{api_profile::classic};
  p.seed("x");
  auto seed_id = p.find_inbound(1)->settings["clients"][0]["id"].get<std::string>();
  CHECK(p.delete_client(1, seed_id, false) == "no client remained in Inbound\n");
  CHECK(p.delete_client(1, "nope", false) == "Client Not Found In Inbound For ID: nope\n");
  CHECK(p.delete_client(1, "nobody", true) == "client with email nobody not found\n");
  REQUIRE(p.add_clients(1, json::array({vless_client("a", "u1")})).empty());
  CHECK(p.delete_client(1, "u1", false).empty());
  CHECK(p.find_traffic("a") == nullptr);
}

TEST_CASE("updates replace the client and keep its traffic", "[unit][fake]") {
  fake_panel p{api_profile::classic};
  p.seed("x");
  REQUIRE(
      p.add_clients(1, json::array({vless_client("a", "u1"), vless_client("b", "u2")})).empty());
  REQUIRE(p.add_traffic("a", 10, 20));
  CHECK(p.update_client(1, "u1", vless_client("B", "u1")) == "Duplicate email: B\n");
  CHECK(p.update_client(1, "missing", vless_client("z", "u9")) == "empty client ID\n");
  auto renamed = vless_client("a2", "u1");
  renamed["totalGB"] = 5;
  CHECK(p.update_client(1, "u1", renamed).empty());
  REQUIRE(p.find_traffic("a2") != nullptr);
  CHECK(p.find_traffic("a2")->down == 20);
  CHECK(p.find_traffic("a2")->total == 5);
  CHECK(p.find_traffic("a") == nullptr);
}

TEST_CASE("gen2 clients: identity rules, attach, delete anywhere", "[unit][fake]") {
  fake_panel p{api_profile::gen2};
  p.seed("x");
  CHECK(p.add_client_gen2({{"email", "a"}, {"subId", "s1"}}, {1}).empty());
  CHECK(p.add_client_gen2({{"email", "A"}, {"subId", "other"}}, {1})
        == "email already in use: A\n");
  CHECK(p.add_client_gen2({{"email", "a"}, {"subId", "s1"}}, {2}).empty()); // attach
  CHECK(p.client_record_gen2("a")["inboundIds"] == ojson::array({1, 2}));
  CHECK(p.add_client_gen2({{"email", "bad/name"}}, {1})
        == "client email contains an invalid character: /\n");
  CHECK(p.add_client_gen2({{"email", "b"}}, {}) == "at least one inbound is required\n");
  CHECK(p.delete_client_gen2("a").empty());
  CHECK(p.delete_client_gen2("a") == "client \"a\" not found in any inbound or client record\n");
}

TEST_CASE("wipe removes every client and traffic row", "[unit][fake]") {
  fake_panel p{api_profile::classic};
  p.seed("x");
  p.wipe();
  CHECK(p.client_count() == 0);
  CHECK(p.find_traffic("x-seed-vless") == nullptr);
}
