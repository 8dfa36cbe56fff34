// The panel client against fake panels over real loopback HTTP.

#include "common/panel/classify.hpp"
#include "common/panel/panel_client.hpp"
#include "common/panel/panel_url.hpp"
#include "tests/common/panel/panel_test_support.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace fleet;
using namespace fleet::test;
using std::chrono::milliseconds;

namespace {

client_order client_named(const std::string& email) {
  client_order c;
  c.email = email;
  c.uuid = "0d1c2b3a-4f5e-4a6b-9c8d-" + std::string(12 - std::min<size_t>(email.size(), 12), '0')
           + email.substr(0, 12);
  c.sub_id = "sub-" + email;
  c.total_bytes = 10'737'418'240;
  return c;
}

/// The vless inbound (id 1) of a seeded panel.
constexpr int64_t vless = 1;

/// Runs the whole client lifecycle on one panel and checks each step.
void lifecycle(fake_fleet& fleet, const std::string& panel, bool token, api_generation expected) {
  http_engine engine;
  panel_client client{engine, fleet.endpoint(panel, token)};
  auto status = await<panel_status>([&](auto done) { client.status(done); });
  REQUIRE(status);
  CHECK(status->xray_state == "running");
  CHECK(status->generation == expected);
  CHECK(client.generation() == expected);

  auto added = await<caf::unit_t>([&](auto done) {
    client.add_clients(vless, "vless", {client_named("alice"), client_named("bob")}, done);
  });
  REQUIRE(added);
  auto inbounds = await<std::vector<panel_inbound>>([&](auto done) { client.inbounds(done); });
  REQUIRE(inbounds);
  REQUIRE(inbounds->size() == 2);
  const auto& in = inbounds->at(0);
  CHECK(in.protocol == "vless");
  REQUIRE(in.clients.size() == 3);
  CHECK(in.clients[1].email == "alice");
  CHECK(in.clients[1].key == client_named("alice").uuid);
  CHECK(in.clients[1].total_bytes == 10'737'418'240);

  REQUIRE(fleet.server.find(panel)->add_traffic("alice", 1000, 5000));
  auto traffic = await<client_usage>([&](auto done) { client.client_traffic("alice", done); });
  REQUIRE(traffic);
  CHECK(traffic->up == 1000);
  CHECK(traffic->down == 5000);

  fleet.server.find(panel)->set_online({"alice"});
  auto online = await<std::vector<std::string>>([&](auto done) { client.online_clients(done); });
  REQUIRE(online);
  CHECK(*online == std::vector<std::string>{"alice"});

  auto renewed = client_named("alice");
  renewed.total_bytes = 0;
  renewed.enable = false;
  client_ref alice{vless, "alice", client_named("alice").uuid};
  REQUIRE(
      await<caf::unit_t>([&](auto done) { client.update_client(alice, "vless", renewed, done); }));
  auto after = await<std::vector<panel_inbound>>([&](auto done) { client.inbounds(done); });
  REQUIRE(after);
  CHECK(after->at(0).clients[1].total_bytes == 0);
  CHECK_FALSE(after->at(0).clients[1].enable);
  auto kept = await<client_usage>([&](auto done) { client.client_traffic("alice", done); });
  REQUIRE(kept);
  CHECK(kept->down == 5000);

  REQUIRE(await<caf::unit_t>([&](auto done) { client.delete_client(alice, done); }));
  auto gone = await<client_usage>([&](auto done) { client.client_traffic("alice", done); });
  if (expected == api_generation::gen2) {
    REQUIRE_FALSE(gone);
    CHECK(code_of(gone.error()) == ec::not_found);
  } else {
    REQUIRE_FALSE(gone);
    CHECK(code_of(gone.error()) == ec::not_found);
  }
  if (token)
    CHECK(client.logins() == 0);
  else
    CHECK(client.logins() == 1);
}

} // namespace

TEST_CASE("every operation works on every profile", "[integration][panel]") {
  fake_fleet fleet;
  SECTION("classic v2.9.4, cookie login") {
    lifecycle(fleet, "classic", false, api_generation::classic);
    CHECK(fleet.counter("classic", "POST login") == 1);
  }
  SECTION("classic v3.0.2, CSRF login") {
    lifecycle(fleet, "csrf", false, api_generation::classic);
    CHECK(fleet.counter("csrf", "GET csrf-token") == 1);
    CHECK(fleet.counter("csrf", "csrf refused") == 0);
  }
  SECTION("classic v3.0.2, Bearer token") {
    lifecycle(fleet, "csrf", true, api_generation::classic);
    CHECK(fleet.counter("csrf", "POST login") == 0);
  }
  SECTION("gen2, CSRF login") {
    lifecycle(fleet, "gen2", false, api_generation::gen2);
  }
  SECTION("gen2, Bearer token") {
    lifecycle(fleet, "gen2", true, api_generation::gen2);
    CHECK(fleet.counter("gen2", "POST login") == 0);
  }
}

TEST_CASE("a batch of 100 clients is one HTTP call on classic panels", "[integration][panel]") {
  fake_fleet fleet;
  http_engine engine;
  panel_client client{engine, fleet.endpoint("classic")};
  std::vector<client_order> batch;
  for (int i = 0; i < 100; ++i)
    batch.push_back(client_named("user" + std::to_string(i)));
  auto added
      = await<caf::unit_t>([&](auto done) { client.add_clients(vless, "vless", batch, done); });
  INFO((added ? std::string{} : message_of(added.error())));
  REQUIRE(added);
  CHECK(fleet.counter("classic", "POST panel/api/inbounds/addClient") == 1);
  CHECK(fleet.server.find("classic")->clients()["1"].size() == 101);
}

TEST_CASE("a duplicate email is a conflict, reported once", "[integration][panel]") {
  fake_fleet fleet;
  http_engine engine;
  panel_client client{engine, fleet.endpoint("classic")};
  REQUIRE(await<caf::unit_t>(
      [&](auto done) { client.add_clients(vless, "vless", {client_named("carol")}, done); }));
  auto again = await<caf::unit_t>(
      [&](auto done) { client.add_clients(2, "trojan", {client_named("CAROL")}, done); });
  REQUIRE_FALSE(again);
  CHECK(code_of(again.error()) == ec::conflict);
  CHECK_THAT(message_of(again.error()), Catch::Contains("Duplicate email: CAROL"));
  CHECK_FALSE(is_retryable(again.error()));
  CHECK(fleet.counter("classic", "POST panel/api/inbounds/addClient") == 2);
}

TEST_CASE("an expired session is renewed once, transparently", "[integration][panel]") {
  fake_fleet fleet;
  for (const auto* panel : {"classic", "csrf", "gen2"}) {
    INFO(panel);
    http_engine engine;
    panel_client client{engine, fleet.endpoint(panel)};
    REQUIRE(await<panel_status>([&](auto done) { client.status(done); }));
    fleet.server.find(panel)->expire_sessions();
    REQUIRE(await<std::vector<panel_inbound>>([&](auto done) { client.inbounds(done); }));
    CHECK(client.logins() == 2);
  }
}

TEST_CASE("bad credentials fail clearly without a login loop", "[integration][panel]") {
  fake_fleet fleet;
  http_engine engine;
  auto ep = fleet.endpoint("csrf");
  ep.password = "wrong";
  panel_client client{engine, ep};
  auto result = await<panel_status>([&](auto done) { client.status(done); });
  REQUIRE_FALSE(result);
  CHECK(code_of(result.error()) == ec::unauthenticated);
  CHECK_THAT(message_of(result.error()), Catch::Contains("Invalid username or password"));
  CHECK_THAT(message_of(result.error()), !Catch::Contains("wrong"));
  CHECK(fleet.counter("csrf", "POST login") == 1);
  // Asked whether two-factor authentication explains the refusal: it is off here.
  CHECK(fleet.counter("csrf", "POST getTwoFactorEnable") == 1);

  auto token_ep = fleet.endpoint("gen2", true);
  token_ep.api_token = "not-the-token";
  panel_client with_token{engine, token_ep};
  auto refused = await<panel_status>([&](auto done) { with_token.status(done); });
  REQUIRE_FALSE(refused);
  CHECK(code_of(refused.error()) == ec::unauthenticated);
  CHECK_THAT(message_of(refused.error()), !Catch::Contains("not-the-token"));

  auto wrong_base = fleet.endpoint("csrf");
  wrong_base.base_url += "nope/";
  panel_client lost{engine, wrong_base};
  auto missing = await<panel_status>([&](auto done) { lost.status(done); });
  REQUIRE_FALSE(missing);
  CHECK_THAT(message_of(missing.error()), Catch::Contains("base_path"));
}

TEST_CASE("every fault mode maps to its error", "[integration][panel]") {
  fake_fleet fleet;
  http_engine engine;
  panel_client client{engine, fleet.endpoint("gen2", true, milliseconds{400})};
  auto* panel = fleet.server.find("gen2");
  auto status_code = [&] {
    auto s = await<panel_status>([&](auto done) { client.status(done); });
    return s ? ec::none : code_of(s.error());
  };
  REQUIRE(status_code() == ec::none);

  panel->set_fault({"http500", 0});
  CHECK(status_code() == ec::panel_unavailable);
  panel->set_fault({"garbage", 0});
  CHECK(status_code() == ec::panel_bad_response);
  panel->set_fault({"slow", 100});
  CHECK(status_code() == ec::none);
  panel->set_fault({"hang", 0});
  CHECK(status_code() == ec::panel_timeout);
  panel->set_fault({"xray_stopped", 0});
  auto stopped = await<panel_status>([&](auto done) { client.status(done); });
  REQUIRE(stopped);
  CHECK(stopped->xray_state == "stop");
  panel->set_fault({"fail_mutations", 0});
  auto refused = await<caf::unit_t>(
      [&](auto done) { client.add_clients(vless, "vless", {client_named("dora")}, done); });
  REQUIRE_FALSE(refused);
  CHECK(code_of(refused.error()) == ec::panel_error);
  CHECK_THAT(message_of(refused.error()), Catch::Contains("database is locked"));
  panel->set_fault({});
  REQUIRE(fleet.server.set_down("gen2", true));
  CHECK(status_code() == ec::panel_unreachable);
  REQUIRE(fleet.server.set_down("gen2", false));
  CHECK(status_code() == ec::none);
  panel->wipe();
  auto wiped = await<std::vector<panel_inbound>>([&](auto done) { client.inbounds(done); });
  REQUIRE(wiped);
  CHECK(wiped->at(0).clients.empty());
  CHECK(wiped->at(1).clients.empty());
}

TEST_CASE("connections are reused across requests", "[integration][panel]") {
  fake_fleet fleet;
  http_engine engine;
  panel_client client{engine, fleet.endpoint("classic")};
  for (int i = 0; i < 20; ++i)
    REQUIRE(await<panel_status>([&](auto done) { client.status(done); }));
  auto stats = engine.stats();
  CHECK(stats.requests == 22); // csrf-token probe + login + 20 status reads
  CHECK(stats.connections_opened == 1);
}

TEST_CASE("a panel on an IPv6 literal is reached through a bracketed URL", "[integration][panel]") {
  fake::fake_server server;
  fake::panel_options p;
  p.name = "v6";
  p.profile = fake::api_profile::gen2;
  p.password = "secret-pw";
  server.add_panel(p);
  server.set_keep_alive(1);
  if (auto err = server.start(0, "::1"); !err.empty()) {
    WARN("skipped: this machine has no IPv6 loopback (" << err << ")");
    return;
  }
  server_config s;
  s.host = "::1"; // as written in the config, without brackets
  s.port = server.find("v6")->options().port;
  s.username = "admin";
  s.password = "secret-pw";
  auto ep = panel_endpoint::from(s, milliseconds{3000});
  CHECK(ep.base_url == "http://[::1]:" + std::to_string(s.port) + "/");
  http_engine engine;
  panel_client client{engine, ep};
  auto status = await<panel_status>([&](auto done) { client.status(done); });
  INFO((status ? std::string{} : message_of(status.error())));
  REQUIRE(status);
  CHECK(status->generation == api_generation::gen2);
  REQUIRE(await<std::vector<panel_inbound>>([&](auto done) { client.inbounds(done); }));
}

TEST_CASE("a 5xx answer to the CSRF token request fails the login as the panel's failure",
          "[integration][panel]") {
  fake_fleet fleet;
  http_engine engine;
  panel_client client{engine, fleet.endpoint("csrf")};
  auto* panel = fleet.server.find("csrf");
  // The token request hangs; when the fault is lifted it gets an empty 500 and the login
  // that follows, without a token, would be refused with an empty 403.
  panel->set_fault({"hang", 0});
  std::thread lift{[panel] {
    std::this_thread::sleep_for(std::chrono::milliseconds{300});
    panel->set_fault({});
  }};
  auto result = await<panel_status>([&](auto done) { client.status(done); });
  lift.join();
  REQUIRE_FALSE(result);
  CHECK(code_of(result.error()) == ec::panel_unavailable);
  CHECK(fleet.counter("csrf", "POST login") == 0);
  // The next call logs in as usual.
  CHECK(await<panel_status>([&](auto done) { client.status(done); }));
  CHECK(client.logins() == 1);
}
