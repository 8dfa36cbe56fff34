#include "common/config/config.hpp"
#include "tests/common/config/config_test_support.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;
using namespace std::chrono_literals;

TEST_CASE("the original example config loads unchanged with its defaults", "[unit][config]") {
  auto path = std::string{FLEET_SOURCE_DIR} + "/config/original.example.json";
  auto loaded = load_config_file(path, fake_env(), builtin_rules());
  INFO(errors_of(loaded).size());
  REQUIRE(loaded.problems.empty());
  const auto& c = loaded.config;
  REQUIRE(c.servers.size() == 3);
  const auto& s = c.servers[0];
  CHECK(s.id == "1");
  CHECK(s.name == "Germany #1");
  CHECK(s.host == "de1.example.com");
  CHECK(s.port == 2053);
  CHECK(s.enabled);
  CHECK(s.priority == 10);
  CHECK(s.max_clients == 500);
  CHECK(s.region == "EU");
  CHECK(s.base_path == "/");
  CHECK(s.scheme == panel_scheme::http);
  const auto& m = c.management;
  CHECK(m.selection_strategy == "least_load");
  CHECK(m.health_check_interval == 30s);
  CHECK(m.health_check_timeout == 10s);
  CHECK(m.max_retries == 3);
  CHECK(m.retry_delay == 5s);
  CHECK(m.load_balance_threshold == Approx(0.8));
  CHECK(m.auto_failover);
  CHECK(m.geographic_routing);
  CHECK(m.healthy_threshold == 2);
  CHECK(m.unhealthy_threshold == 3);
}

TEST_CASE("the demo fleet config is valid", "[unit][config]") {
  auto path = std::string{FLEET_SOURCE_DIR} + "/config/demo-fleet.json";
  auto loaded = load_config_file(path, fake_env(), builtin_rules());
  CHECK(loaded.problems.empty());
  CHECK(loaded.config.servers.size() == 5);
  CHECK(loaded.config.management.region_fallbacks.at("ASIA")
        == std::vector<std::string>{"EU", "US"});
}

TEST_CASE("defaults apply when server_management is absent", "[unit][config]") {
  auto loaded = parse(R"({"xui_servers": [{"id": 7, "host": "h", "port": 1, "username": "u",
                          "password": "p"}]})");
  REQUIRE(loaded.problems.empty());
  CHECK(loaded.config.management.selection_strategy == "least_load");
  CHECK(loaded.config.servers[0].name == "7");
  CHECK(loaded.config.coordinator.listen == "127.0.0.1:8080");
}

TEST_CASE("sections of other programs at the top level are ignored", "[unit][config]") {
  auto loaded = parse(R"({"bot_token": "x", "payment_methods": {}, "xui_servers": [
    {"id": 1, "host": "h", "port": 1, "username": "u", "password": "p", "token": "",
     "description": "legacy fields"}]})");
  CHECK(loaded.problems.empty());
}

TEST_CASE("extensions parse and normalise", "[unit][config]") {
  auto loaded = parse(one_server(R"(, "base_path": "secret/path", "scheme": "https",
    "api_token": "tok", "inbound_id": 3, "weight": 5,
    "tls": {"pinned_pubkey": "sha256//AAAA", "insecure_skip_verify": true})",
                                 R"(, "region_fallbacks": {"EU": ["US"]}, "healthy_threshold": 4,
    "panic_policy": "refuse", "panic_threshold": 0.3, "passive_failure_threshold": 0, "max_batch": 1,
    "max_ejection_percent": 50, "reconcile_interval": "1m", "drift_repair": false)"));
  INFO(errors_of(loaded).size());
  const auto& s = loaded.config.servers.at(0);
  CHECK(s.base_path == "/secret/path/");
  CHECK(s.scheme == panel_scheme::https);
  CHECK(s.api_token == "tok");
  CHECK(*s.inbound_id == 3);
  CHECK(s.weight == 5);
  CHECK(s.tls.insecure_skip_verify);
  const auto& m = loaded.config.management;
  CHECK(m.healthy_threshold == 4);
  CHECK(m.on_panic == panic_policy::refuse);
  CHECK(m.panic_threshold == Approx(0.3));
  CHECK(m.passive_failure_threshold == 0);
  CHECK(m.max_ejection_percent == 50);
  CHECK(m.max_batch == 1);
  CHECK(m.reconcile_interval == std::chrono::minutes{1});
  CHECK_FALSE(m.drift_repair);
  CHECK_FALSE(has_errors(loaded.problems));
}

TEST_CASE("environment variables override secrets", "[unit][config]") {
  auto text = R"({"xui_servers": [
    {"id": 3, "host": "h", "port": 1, "username": "u"},
    {"id": "de-1", "host": "h", "port": 1, "username": "u", "password": "in-file"}]})";
  auto loaded = parse(text, {{"XUI_SERVER_3_PASSWORD", "from-env"},
                             {"XUI_SERVER_DE_1_PASSWORD", "env-wins"},
                             {"XUI_SERVER_3_API_TOKEN", "token-env"},
                             {"XUI_SERVER_DE_1_TOTP_SECRET", "JBSWY3DPEHPK3PXP"},
                             {"FLEET_API_TOKEN", "fleet-token-0123456789"}});
  REQUIRE(loaded.problems.empty());
  CHECK(loaded.config.servers[0].password == "from-env");
  CHECK(loaded.config.servers[0].api_token == "token-env");
  CHECK(loaded.config.servers[1].password == "env-wins");
  CHECK(loaded.config.servers[1].two_factor_secret == "JBSWY3DPEHPK3PXP");
  CHECK(loaded.config.servers[0].two_factor_secret.empty());
  REQUIRE(loaded.config.coordinator.api_tokens.size() == 1);
  CHECK(loaded.config.coordinator.api_tokens[0].token == "fleet-token-0123456789");
  CHECK(loaded.config.coordinator.api_tokens[0].role == token_role::admin);
  CHECK(server_env_name("de-1", "PASSWORD") == "XUI_SERVER_DE_1_PASSWORD");
}

TEST_CASE("malformed JSON is reported with line and column", "[unit][config]") {
  auto loaded = parse("{\n  \"xui_servers\": [\n    {\"id\": 1,,}\n  ]\n}");
  auto errors = errors_of(loaded);
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], Catch::StartsWith("malformed JSON at line 3, column 14: "));
  CHECK_THAT(errors[0], Catch::Contains("syntax error"));
}

TEST_CASE("a number beyond a double's range is reported, not thrown", "[unit][config]") {
  auto errors = errors_of(parse("{\"xui\": 5E333}"));
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], Catch::StartsWith("malformed JSON: number overflow parsing '5E333'"));
}

TEST_CASE("a config that is not an object, or lacks servers, is refused", "[unit][config]") {
  CHECK(errors_of(parse("[]")) == std::vector<std::string>{"expected an object, got array"});
  CHECK(errors_of(parse("{}"))
        == std::vector<std::string>{"xui_servers: missing; list the panels of the fleet here"});
  CHECK(errors_of(parse(R"({"xui_servers": {}})"))
        == std::vector<std::string>{"xui_servers: expected an array of servers, got object"});
  CHECK(errors_of(parse(R"({"xui_servers": []})"))
        == std::vector<std::string>{"xui_servers: empty; list at least one panel"});
}

TEST_CASE("unreadable config files are reported", "[unit][config]") {
  auto loaded = load_config_file("/nonexistent/fleet.json", fake_env(), builtin_rules());
  auto errors = errors_of(loaded);
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], Catch::StartsWith("cannot read config file /nonexistent/fleet.json"));
}

TEST_CASE("unknown fields in known sections are warnings", "[unit][config]") {
  auto loaded = parse(one_server(R"(, "prority": 3)", R"(, "health_interval": "5s")"));
  CHECK_FALSE(has_errors(loaded.problems));
  REQUIRE(loaded.problems.size() == 2);
  CHECK(loaded.problems[0].to_string() == "xui_servers[0].prority: unknown field, ignored");
  CHECK(loaded.problems[1].to_string()
        == "server_management.health_interval: unknown field, ignored");
}
