// The emulator's business rules (3x-ui-api.md §5.3, §6.3), without HTTP.

#include "tools/fake_xui/fake_panel.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <utility>

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

namespace {

/// The enable flags of `email` on inbound 1: its clientStats row and its settings entry.
std::pair<bool, bool> enabled_on_inbound_1(const fake_panel& p, const std::string& email) {
  auto listed = p.inbound_json(*p.find_inbound(1), true);
  bool in_stats = false;
  bool in_settings = false;
  for (const auto& row : listed["clientStats"])
    if (row["email"] == email)
      in_stats = row["enable"].get<bool>();
  for (const auto& c : p.find_inbound(1)->settings["clients"])
    if (c["email"] == email)
      in_settings = c["enable"].get<bool>();
  return {in_stats, in_settings};
}

json limited_client(const std::string& email, const std::string& id, int64_t total,
                    int64_t expiry) {
  auto c = vless_client(email, id);
  c["totalGB"] = total;
  c["expiryTime"] = expiry;
  return c;
}

} // namespace

TEST_CASE("a client whose traffic reaches its quota is disabled in clientStats and settings",
          "[unit][fake]") {
  fleet::manual_clock wall;
  fake_panel p{api_profile::classic, 1, wall};
  p.seed("x");
  REQUIRE(p.add_clients(1, json::array({limited_client("q", "u1", 1000, 0),
                                        limited_client("free", "u2", 0, 0)}))
              .empty());
  REQUIRE(p.add_traffic("q", 400, 500));
  CHECK(enabled_on_inbound_1(p, "q") == std::pair{true, true});
  REQUIRE(p.add_traffic("q", 0, 100)); // up + down == total
  CHECK(enabled_on_inbound_1(p, "q") == std::pair{false, false});
  CHECK(p.find_traffic("q")->down == 600);
  REQUIRE(p.add_traffic("free", 1'000'000, 1'000'000)); // total 0: unlimited
  CHECK(enabled_on_inbound_1(p, "free") == std::pair{true, true});
  CHECK(p.disable_invalid_clients() == 0); // disabled once, not again
}

TEST_CASE("an update with a higher quota and enable=true enables the client again, traffic kept",
          "[unit][fake]") {
  fleet::manual_clock wall;
  fake_panel p{api_profile::classic, 1, wall};
  p.seed("x");
  REQUIRE(p.add_clients(1, json::array({limited_client("q", "u1", 1000, 0)})).empty());
  REQUIRE(p.add_traffic("q", 300, 700));
  REQUIRE(enabled_on_inbound_1(p, "q") == std::pair{false, false});
  // enable=true with the old quota: the next job run disables it again.
  CHECK(p.update_client(1, "u1", limited_client("q", "u1", 1000, 0)).empty());
  CHECK(enabled_on_inbound_1(p, "q") == std::pair{true, true});
  CHECK(p.disable_invalid_clients() == 1);
  CHECK(enabled_on_inbound_1(p, "q") == std::pair{false, false});
  CHECK(p.update_client(1, "u1", limited_client("q", "u1", 5000, 0)).empty());
  CHECK(p.disable_invalid_clients() == 0);
  CHECK(enabled_on_inbound_1(p, "q") == std::pair{true, true});
  const auto* t = p.find_traffic("q");
  REQUIRE(t != nullptr);
  CHECK(t->up == 300);
  CHECK(t->down == 700);
  CHECK(t->total == 5000);
  REQUIRE(p.add_traffic("q", 0, 3999));
  CHECK(enabled_on_inbound_1(p, "q") == std::pair{true, true});
  REQUIRE(p.add_traffic("q", 1, 0));
  CHECK(enabled_on_inbound_1(p, "q") == std::pair{false, false});
}

TEST_CASE("a client whose expiry has passed is disabled, and enabled again by a later expiry",
          "[unit][fake]") {
  fleet::manual_clock wall;
  fake_panel p{api_profile::gen2, 1, wall};
  p.seed("x");
  auto now = wall.wall_ms();
  REQUIRE(p.add_clients(1, json::array({limited_client("past", "u1", 0, now - 1),
                                        limited_client("soon", "u2", 0, now + 60'000),
                                        limited_client("never", "u3", 0, 0)}))
              .empty());
  REQUIRE(p.add_traffic("never", 1, 1)); // the job runs for every client, not only this one
  CHECK(enabled_on_inbound_1(p, "past") == std::pair{false, false});
  CHECK(enabled_on_inbound_1(p, "soon") == std::pair{true, true});
  wall.advance(std::chrono::seconds{60}); // expiryTime <= now
  CHECK(p.disable_invalid_clients() == 1);
  CHECK(enabled_on_inbound_1(p, "soon") == std::pair{false, false});
  CHECK(enabled_on_inbound_1(p, "never") == std::pair{true, true});
  CHECK(p.client_record_gen2("soon")["client"]["enable"] == false);
  auto renewed = limited_client("soon", "u2", 0, wall.wall_ms() + 86'400'000);
  CHECK(p.update_client_gen2("soon", renewed).empty());
  CHECK(p.disable_invalid_clients() == 0);
  CHECK(enabled_on_inbound_1(p, "soon") == std::pair{true, true});
}

TEST_CASE("an addClient write planned from an older read drops what was added since",
          "[unit][fake]") {
  fake_panel p{api_profile::classic_csrf};
  p.seed("x");
  fake_panel::client_write first;
  fake_panel::client_write second;
  REQUIRE(p.read_add_clients(1, json::array({vless_client("a", "1")}), first, true).empty());
  REQUIRE(p.read_add_clients(1, json::array({vless_client("b", "2")}), second, true).empty());
  // Nothing is written by reading.
  CHECK(p.client_count() == 2);
  p.write_clients(first);
  p.write_clients(second);
  const auto& clients = p.find_inbound(1)->settings["clients"];
  REQUIRE(clients.size() == 2);
  CHECK(clients[1]["email"] == "b");
  // The lost client's traffic row stays.
  CHECK(p.find_traffic("a") != nullptr);
  // Without a snapshot a write appends, whatever came before it.
  fake_panel::client_write appended;
  REQUIRE(p.read_add_clients(1, json::array({vless_client("c", "3")}), appended).empty());
  p.write_clients(second);
  p.write_clients(appended);
  CHECK(p.find_inbound(1)->settings["clients"].size() == 3);
  // A read checks like addClient does.
  fake_panel::client_write refused;
  CHECK(p.read_add_clients(1, json::array({vless_client("B", "5")}), refused)
        == "Duplicate email: B\n");
  CHECK(p.read_add_clients(9, json::array({vless_client("d", "4")}), refused)
        == "record not found");
}
