// The classic and gen2 adapters: their requests, and their parsers against answers recorded
// from the reference (tests/fixtures/xui/).

#include "common/panel/xui_adapter.hpp"
#include "tests/common/panel/recorded_answer.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;
using json = nlohmann::json;

namespace {

/// `obj` of a recorded answer that must be a success.
json ok_obj(const std::string& name) {
  auto obj = recorded_obj(name);
  INFO(name << ": " << (obj ? std::string{} : message_of(obj.error())));
  REQUIRE(obj);
  return *obj;
}

/// The error `classify` makes of a recorded refusal.
caf::error refusal(const std::string& name) {
  auto obj = recorded_obj(name, "op");
  REQUIRE_FALSE(obj);
  return obj.error();
}

client_order order(const std::string& email, const std::string& key) {
  client_order o;
  o.email = email;
  o.uuid = key;
  o.sub_id = "sub-" + email;
  o.total_bytes = 53'687'091'200;
  o.expiry_time_ms = 1'769'904'000'000;
  return o;
}

/// The alice of both generations' inbound lists.
void check_alice(const panel_client_info& c) {
  CHECK(c.email == "alice");
  CHECK(c.key == "b831381d-6324-4d53-ad4f-8cda48b30811");
  CHECK(c.uuid == "b831381d-6324-4d53-ad4f-8cda48b30811");
  CHECK(c.sub_id == "k3ngy5tqo2m8f1vz");
  CHECK(c.enable);
  CHECK(c.total_bytes == 53'687'091'200);
  CHECK(c.expiry_time == 1'767'225'600'000);
  CHECK(c.up == 10'485'760);
  CHECK(c.down == 209'715'200);
  CHECK(c.last_online == 1'756'022'400'000);
}

void check_vless_inbound(const panel_inbound& in) {
  CHECK(in.id == 1);
  CHECK(in.remark == "vless-reality");
  CHECK(in.protocol == "vless");
  CHECK(in.port == 443);
  CHECK(in.enable);
  CHECK(in.up == 10'485'760);
  CHECK(in.down == 209'715'200);
}

void check_traffic(const client_usage& t) {
  CHECK(t.inbound_id == 1);
  CHECK(t.enable);
  CHECK(t.up == 10'485'760);
  CHECK(t.down == 209'715'200);
  CHECK(t.total_bytes == 53'687'091'200);
  CHECK(t.expiry_time_ms == 1'767'225'600'000);
  CHECK(t.last_online_ms == 1'756'022'400'000);
}

} // namespace

TEST_CASE("each generation has its adapter", "[unit][panel][xui]") {
  CHECK(adapter_for(api_generation::unknown) == nullptr);
  CHECK(adapter_for(api_generation::classic) == &classic_adapter());
  CHECK(adapter_for(api_generation::gen2) == &gen2_adapter());
  CHECK(classic_adapter().generation() == api_generation::classic);
  CHECK(gen2_adapter().generation() == api_generation::gen2);
}

TEST_CASE("recorded logins: success whatever the message, refusal is unauthenticated",
          "[unit][panel][xui]") {
  // The v2.6 … v3.0 message starts with a space; nothing may depend on the text.
  CHECK(ok_obj("classic/login_ok").is_null());
  CHECK(ok_obj("gen2/login_ok").is_null());
  CHECK(ok_obj("gen2/csrf_token") == "q0L3n7Zx1sYpJ9vK2mWc8bRt5uHf4eGa6dQi0oNlSjE");
  for (const auto* name : {"classic/login_refused", "gen2/login_refused"}) {
    auto err = refusal(name);
    CHECK(code_of(err) == ec::unauthenticated);
    CHECK(message_of(err)
          == "op: the panel refused: Invalid username or password or two-factor code.");
  }
}

TEST_CASE("recorded answers without a session are unauthenticated", "[unit][panel][xui]") {
  for (const auto* name : {"classic/session_lost", "classic/csrf_refused", "gen2/session_lost",
                           "gen2/session_lost_xhr"}) {
    INFO(name);
    auto err = refusal(name);
    CHECK(code_of(err) == ec::unauthenticated);
    CHECK_THAT(message_of(err), Catch::Contains("empty body") && Catch::Contains("base_path"));
    CHECK_FALSE(is_retryable(err));
  }
}

TEST_CASE("recorded status answers tell the generation", "[unit][panel][xui]") {
  auto classic = parse_status(ok_obj("classic/status"));
  REQUIRE(classic);
  CHECK(classic->xray_state == "running");
  CHECK(classic->xray_error.empty());
  CHECK(classic->xray_version == "25.10.31");
  CHECK(classic->panel_version.empty());
  CHECK(classic->generation == api_generation::classic);
  CHECK(classic->cpu == Approx(3.52));
  CHECK(classic->tcp_count == 57);

  auto gen2 = parse_status(ok_obj("gen2/status"));
  REQUIRE(gen2);
  CHECK(gen2->xray_state == "running");
  CHECK(gen2->xray_version == "26.7.28");
  CHECK(gen2->panel_version == "3.6.0");
  CHECK(gen2->generation == api_generation::gen2);
  CHECK(gen2->tcp_count == 57);
}

TEST_CASE("classic: recorded inbound lists with settings as JSON strings", "[unit][panel][xui]") {
  const auto& a = classic_adapter();
  auto list = a.parse_inbounds(ok_obj("classic/inbounds_list"));
  REQUIRE(list);
  REQUIRE(list->size() == 1);
  const auto& in = list->front();
  check_vless_inbound(in);
  REQUIRE(in.clients.size() == 2);
  check_alice(in.clients[0]);
  const auto& bob = in.clients[1];
  CHECK(bob.email == "bob");
  CHECK(bob.key == "4f2c8a1e-9b7d-4c3e-8a55-2d1f0e6b7c90");
  CHECK(bob.sub_id == "p9x2c7v4b1n6m3qa");
  CHECK(bob.total_bytes == 0);
  CHECK(bob.expiry_time == -604'800'000);
  CHECK(bob.up == 0);
  CHECK(bob.last_online == 0);
  CHECK(bob.active(1'756'022'400'000));

  // `get/:id` has `clientStats: null`: the clients are there, without traffic.
  auto got = a.parse_inbounds(json::array({ok_obj("classic/inbound_get")}));
  REQUIRE(got);
  REQUIRE(got->front().clients.size() == 2);
  CHECK(got->front().clients[0].key == "b831381d-6324-4d53-ad4f-8cda48b30811");
  CHECK(got->front().clients[0].up == 0);
}

TEST_CASE("gen2: recorded inbound lists with settings as objects or strings",
          "[unit][panel][xui]") {
  const auto& a = gen2_adapter();
  for (const auto* name : {"gen2/inbounds_list", "gen2/inbounds_list_settings_string"}) {
    INFO(name);
    auto list = a.parse_inbounds(ok_obj(name));
    REQUIRE(list);
    REQUIRE(list->size() == 1);
    check_vless_inbound(list->front());
    REQUIRE(list->front().clients.size() == 1);
    check_alice(list->front().clients[0]);
  }
  auto garbled = a.parse_inbounds(json{{"id", 1}});
  REQUIRE_FALSE(garbled);
  CHECK(code_of(garbled.error()) == ec::panel_bad_response);
}

TEST_CASE("recorded traffic answers, and an unknown email either way", "[unit][panel][xui]") {
  auto classic = classic_adapter().parse_traffic(ok_obj("classic/traffic"));
  REQUIRE(classic);
  check_traffic(*classic);
  auto gen2 = gen2_adapter().parse_traffic(ok_obj("gen2/traffic"));
  REQUIRE(gen2);
  check_traffic(*gen2);

  // v2.8.1 … v3.0.x refuse; older classic panels and gen2 from v3.2.8 answer `obj: null`.
  auto refused = refusal("classic/traffic_unknown");
  CHECK(code_of(refused) == ec::not_found);
  CHECK(message_of(refused)
        == "op: the panel refused: Error getting traffics. (Inbound Not Found For Email: nobody)");
  for (const auto* name : {"classic/traffic_unknown_v2.8.0", "gen2/traffic_unknown"}) {
    auto none = adapter_for(name[0] == 'c' ? api_generation::classic : api_generation::gen2)
                    ->parse_traffic(ok_obj(name));
    REQUIRE_FALSE(none);
    CHECK(code_of(none.error()) == ec::not_found);
  }
}

TEST_CASE("recorded online lists, null included", "[unit][panel][xui]") {
  CHECK(classic_adapter().parse_online(ok_obj("classic/onlines"))
        == std::vector<std::string>{"alice"});
  CHECK(classic_adapter().parse_online(ok_obj("classic/onlines_null"))->empty());
  CHECK(gen2_adapter().parse_online(ok_obj("gen2/onlines"))->empty());
  auto odd = gen2_adapter().parse_online(json{{"alice", 1}});
  REQUIRE_FALSE(odd);
  CHECK(code_of(odd.error()) == ec::panel_bad_response);
}

TEST_CASE("recorded answers to client changes", "[unit][panel][xui]") {
  for (const auto* name :
       {"classic/add_clients_ok", "classic/update_client_ok", "classic/delete_client_ok",
        "gen2/add_client_ok", "gen2/add_client_node_pending", "gen2/update_client_ok",
        "gen2/delete_client_ok"}) {
    INFO(name);
    CHECK(recorded_obj(name));
  }
  struct refused {
    const char* name;
    ec code;
    const char* text;
  };
  for (const auto& r : {
           refused{"classic/add_clients_duplicate", ec::conflict,
                   "Something went wrong (Duplicate email: dave)"},
           refused{"classic/add_clients_no_inbound", ec::not_found,
                   "Something went wrong (record not found)"},
           refused{"classic/update_client_unknown", ec::panel_error,
                   "Something went wrong (empty client ID)"},
           refused{"classic/delete_client_not_found", ec::not_found,
                   "Something went wrong (Client Not Found In Inbound For ID: "
                   "4f2c8a1e-9b7d-4c3e-8a55-2d1f0e6b7c90)"},
           refused{"classic/delete_client_last", ec::panel_error,
                   "Something went wrong (no client remained in Inbound)"},
           refused{"gen2/add_client_in_use", ec::conflict,
                   "Something went wrong (email already in use: frank)"},
           refused{"gen2/update_client_duplicate", ec::conflict,
                   "Something went wrong (Duplicate email: bob)"},
           refused{"gen2/delete_client_unknown", ec::not_found,
                   "Something went wrong (client \"nobody\" not found in any inbound or client "
                   "record)"},
           refused{"gen2/validation_failed", ec::panel_error, "request body failed validation"},
       }) {
    INFO(r.name);
    auto err = refusal(r.name);
    CHECK(code_of(err) == r.code);
    CHECK(message_of(err) == std::string{"op: the panel refused: "} + r.text);
  }
}

TEST_CASE("classic requests: one addClient for a batch, keys in paths", "[unit][panel][xui]") {
  const auto& a = classic_adapter();
  auto adds = a.add_clients(3, "vless", {order("alice", "u-1"), order("bob", "u-2")});
  REQUIRE(adds.size() == 1);
  CHECK(adds[0].method == "POST");
  CHECK(adds[0].path == "panel/api/inbounds/addClient");
  CHECK(adds[0].kind == body_kind::json);
  auto body = json::parse(adds[0].body);
  CHECK(body["id"] == 3);
  REQUIRE(body["settings"].is_string());
  auto settings = json::parse(body["settings"].get<std::string>());
  CHECK(settings["clients"].size() == 2);
  CHECK(settings["clients"][0]
        == json{{"email", "alice"},
                {"id", "u-1"},
                {"flow", ""},
                {"limitIp", 0},
                {"totalGB", 53'687'091'200},
                {"expiryTime", 1'769'904'000'000},
                {"enable", true},
                {"tgId", 0},
                {"subId", "sub-alice"},
                {"comment", ""},
                {"reset", 0}});
  CHECK(a.add_clients(3, "vless", {}).empty());
  auto limited = order("carol", "u-3");
  limited.limit_ip = 2;
  auto one = json::parse(a.add_clients(3, "vless", {limited})[0].body);
  CHECK(json::parse(one["settings"].get<std::string>())["clients"][0]["limitIp"] == 2);

  auto update = a.update_client({3, "a b", "pass/word"}, "trojan", order("a b", "pass/word"));
  CHECK(update.path == "panel/api/inbounds/updateClient/pass%2Fword");
  auto ub = json::parse(update.body);
  CHECK(ub["id"] == 3);
  auto uc = json::parse(ub["settings"].get<std::string>())["clients"][0];
  CHECK(uc["password"] == "pass/word");
  CHECK_FALSE(uc.contains("id"));

  CHECK(a.delete_client({3, "alice", "u-1"}).path == "panel/api/inbounds/3/delClient/u-1");
  CHECK(a.client_traffic("a@b").path == "panel/api/inbounds/getClientTraffics/a%40b");
  CHECK(a.client_traffic("a@b").method == "GET");
  CHECK(a.online_clients().path == "panel/api/inbounds/onlines");
  CHECK(a.online_clients().method == "POST");
  CHECK(a.list_inbounds().path == "panel/api/inbounds/list");
}

TEST_CASE("gen2 requests: one clients/add per client, emails in paths", "[unit][panel][xui]") {
  const auto& a = gen2_adapter();
  auto adds = a.add_clients(3, "vless", {order("alice", "u-1"), order("bob", "u-2")});
  REQUIRE(adds.size() == 2);
  CHECK(adds[1].path == "panel/api/clients/add");
  auto body = json::parse(adds[1].body);
  CHECK(body["inboundIds"] == json::array({3}));
  CHECK(body["client"]["email"] == "bob");
  CHECK(body["client"]["id"] == "u-2");

  auto update = a.update_client({3, "a@b", "u-1"}, "vless", order("a@b", "u-1"));
  CHECK(update.path == "panel/api/clients/update/a%40b");
  CHECK(json::parse(update.body)["id"] == "u-1");
  CHECK(a.delete_client({3, "alice", "u-1"}).path == "panel/api/clients/del/alice");
  CHECK(a.client_traffic("alice").path == "panel/api/clients/traffic/alice");
  CHECK(a.online_clients().path == "panel/api/clients/onlines");
}

TEST_CASE("one conversion of a client order per protocol key", "[unit][panel][xui]") {
  auto o = order("carol", "secret-key");
  CHECK(client_json(o, "vmess")["id"] == "secret-key");
  CHECK(client_json(o, "trojan")["password"] == "secret-key");
  CHECK(client_json(o, "hysteria2")["auth"] == "secret-key");
  auto ss = client_json(o, "shadowsocks");
  CHECK_FALSE(ss.contains("id"));
  CHECK_FALSE(ss.contains("password"));
  CHECK(ss["email"] == "carol");
  o.enable = false;
  CHECK(client_json(o, "vless")["enable"] == false);
}
