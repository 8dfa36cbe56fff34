#include "common/config/config.hpp"
#include "tests/common/config/config_test_support.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

namespace {

/// Returns the single error of `text`, failing the test when there is not exactly one.
std::string only_error(const std::string& text) {
  auto errors = errors_of(parse(text));
  INFO(text);
  REQUIRE(errors.size() == 1);
  return errors[0];
}

} // namespace

TEST_CASE("duplicate ids are refused naming both entries", "[unit][config]") {
  auto text = R"({"xui_servers": [
    {"id": 1, "host": "a", "port": 1, "username": "u", "password": "p"},
    {"id": 1, "host": "b", "port": 1, "username": "u", "password": "p"}]})";
  CHECK(only_error(text) == "xui_servers[1].id: duplicate id 1 (also used by xui_servers[0])");
}

TEST_CASE("a missing host is refused", "[unit][config]") {
  CHECK(only_error(R"({"xui_servers": [{"id": 1, "port": 1, "username": "u", "password": "p"}]})")
        == "xui_servers[0].host: missing");
}

TEST_CASE("a host with a scheme or path is refused", "[unit][config]") {
  CHECK_THAT(only_error(R"({"xui_servers": [{"id": 1, "host": "https://x/panel", "port": 1,
                          "username": "u", "password": "p"}]})"),
             Catch::StartsWith("xui_servers[0].host: \"https://x/panel\" must be a bare host"));
}

TEST_CASE("IPv6 hosts are accepted with or without brackets", "[unit][config]") {
  for (const auto* host : {"::1", "[::1]", "2001:db8::10", "fe80::1%eth0"}) {
    INFO(host);
    auto loaded = parse(R"({"xui_servers": [{"id": 1, "host": ")" + std::string{host}
                        + R"(", "port": 2053, "username": "u", "password": "p"}]})");
    CHECK(errors_of(loaded).empty());
    CHECK(loaded.config.servers[0].host.front() != '[');
  }
  for (const auto* host : {"panel.example:2053", "[::1", "::g"}) {
    INFO(host);
    CHECK(only_error(R"({"xui_servers": [{"id": 1, "host": ")" + std::string{host}
                     + R"(", "port": 2053, "username": "u", "password": "p"}]})")
          == "xui_servers[0].host: \"" + std::string{host}
                 + "\" is neither a host name nor an IPv4 or IPv6 address; put the port in "
                   "\"port\"");
  }
}

TEST_CASE("a two-factor secret must be base32 and is never quoted", "[unit][config]") {
  auto loaded = parse(one_server(R"(, "two_factor_secret": "JBSW Y3DP EHPK 3PXP")"));
  CHECK(errors_of(loaded).empty());
  CHECK(loaded.config.servers[0].two_factor_secret == "JBSW Y3DP EHPK 3PXP");

  auto bad = parse(one_server(R"(, "two_factor_secret": "not-base32-s3cr3t!")"));
  REQUIRE(errors_of(bad).size() == 1);
  CHECK_THAT(errors_of(bad)[0], Catch::StartsWith("xui_servers[0].two_factor_secret: is not "
                                                  "base32 (letters A-Z and digits 2-7"));
  CHECK_THAT(errors_of(bad)[0], !Catch::Contains("s3cr3t"));

  auto with_token
      = parse(one_server(R"(, "api_token": "tok-0123456789", "two_factor_secret": "JBSWY3DP")"));
  CHECK(errors_of(with_token).empty());
  REQUIRE(with_token.problems.size() == 1);
  CHECK(with_token.problems[0].to_string()
        == "xui_servers[0].two_factor_secret: not used: with api_token set the panel is not "
           "logged in to");
}

TEST_CASE("ports outside 1..65535 are refused", "[unit][config]") {
  for (const auto* port : {"0", "65536", "-1", "70000"}) {
    auto text = std::string{R"({"xui_servers": [{"id": 1, "host": "h", "port": )"} + port
                + R"(, "username": "u", "password": "p"}]})";
    CHECK(only_error(text)
          == std::string{"xui_servers[0].port: "} + port + " is out of range 1..65535");
  }
  CHECK(only_error(R"({"xui_servers": [{"id": 1, "host": "h", "port": "2053", "username": "u",
                     "password": "p"}]})")
        == "xui_servers[0].port: expected an integer, got string");
}

TEST_CASE("negative max_clients is refused", "[unit][config]") {
  CHECK_THAT(only_error(one_server(R"(, "max_clients": -5)")),
             Catch::StartsWith("xui_servers[0].max_clients: -5 is out of range 0.."));
}

TEST_CASE("an unknown strategy is refused listing the known ones", "[unit][config]") {
  CHECK(only_error(one_server("", R"(, "selection_strategy": "fastest")"))
        == "server_management.selection_strategy: unknown strategy \"fastest\"; known: "
           "geographic, least_load, priority, random, round_robin");
}

TEST_CASE("a threshold outside 0..1 is refused", "[unit][config]") {
  CHECK(only_error(one_server("", R"(, "load_balance_threshold": 1.5)"))
        == "server_management.load_balance_threshold: 1.5 is outside 0..1");
  CHECK(only_error(one_server("", R"(, "load_balance_threshold": -0.1)"))
        == "server_management.load_balance_threshold: -0.1 is outside 0..1");
  CHECK_THAT(only_error(one_server("", R"(, "load_balance_threshold": 0)")),
             Catch::StartsWith("server_management.load_balance_threshold: must be above 0"));
  CHECK(only_error(one_server("", R"(, "panic_threshold": 2)"))
        == "server_management.panic_threshold: 2 is outside 0..1");
}

TEST_CASE("a timeout not shorter than the interval is refused", "[unit][config]") {
  CHECK(only_error(
            one_server("", R"(, "health_check_interval": "10s", "health_check_timeout": "10s")"))
        == "server_management.health_check_timeout: 10s must be shorter than "
           "health_check_interval (10s)");
  CHECK(only_error(one_server("", R"(, "health_check_timeout": "1m")"))
        == "server_management.health_check_timeout: 1m must be shorter than "
           "health_check_interval (30s)");
}

TEST_CASE("bad durations and numbers in server_management are refused", "[unit][config]") {
  CHECK_THAT(only_error(one_server("", R"(, "retry_delay": "5")")),
             Catch::StartsWith("server_management.retry_delay: \"5\" is not a duration"));
  CHECK(only_error(one_server("", R"(, "health_check_interval": 30)"))
        == "server_management.health_check_interval: expected a duration string like \"30s\", "
           "got integer");
  CHECK(only_error(one_server("", R"(, "max_retries": -1)"))
        == "server_management.max_retries: -1 is out of range 0..100");
  CHECK(only_error(one_server("", R"(, "unhealthy_threshold": 0)"))
        == "server_management.unhealthy_threshold: 0 is out of range 1..100");
  CHECK(only_error(one_server("", R"(, "max_ejection_percent": 101)"))
        == "server_management.max_ejection_percent: 101 is out of range 0..100");
  CHECK(only_error(one_server("", R"(, "auto_failover": "yes")"))
        == "server_management.auto_failover: expected true or false, got string");
  CHECK(only_error(one_server("", R"(, "panic_policy": "panic")"))
        == "server_management.panic_policy: \"panic\" is not keep_healthy or refuse");
}

TEST_CASE("credentials are required unless an API token is set", "[unit][config]") {
  CHECK(only_error(R"({"xui_servers": [{"id": 4, "host": "h", "port": 1, "username": "u"}]})")
        == "xui_servers[0].password: missing; set it here (or set XUI_SERVER_4_PASSWORD), or "
           "configure api_token");
  CHECK(errors_of(parse(R"({"xui_servers": [{"id": 4, "host": "h", "port": 1,
                           "api_token": "t"}]})"))
            .empty());
}

TEST_CASE("bad ids are refused", "[unit][config]") {
  CHECK(only_error(R"({"xui_servers": [{"id": "a b", "host": "h", "port": 1, "username": "u",
                     "password": "p"}]})")
        == "xui_servers[0].id: \"a b\" must be 1..64 letters, digits, '-' or '_' (or an integer)");
  CHECK(only_error(R"({"xui_servers": [{"id": -3, "host": "h", "port": 1, "username": "u",
                     "password": "p"}]})")
        == "xui_servers[0].id: expected a string or a non-negative integer, got integer");
}

TEST_CASE("panel TLS rules are enforced", "[unit][config]") {
  CHECK(only_error(one_server(R"(, "scheme": "https", "tls": {"insecure_skip_verify": true})"))
        == "xui_servers[0].tls.insecure_skip_verify: refused without pinned_pubkey: skipping "
           "verification needs a key pin");
  CHECK(only_error(one_server(R"(, "tls": {"pinned_pubkey": "sha256//x"})"))
        == "xui_servers[0].tls: TLS settings need \"scheme\": \"https\"");
  CHECK(only_error(one_server(R"(, "scheme": "https", "tls": {"ca_file": "/nonexistent/ca.pem"})"))
        == "xui_servers[0].tls.ca_file: cannot read /nonexistent/ca.pem");
  CHECK(only_error(one_server(R"(, "scheme": "ftp")"))
        == "xui_servers[0].scheme: \"ftp\" is not http or https");
}

TEST_CASE("coordinator settings are validated", "[unit][config]") {
  auto with = [](const std::string& coordinator) {
    return R"({"xui_servers": [{"id": 1, "host": "h", "port": 1, "username": "u",
      "password": "p"}], "coordinator": )"
           + coordinator + "}";
  };
  CHECK(only_error(with(R"({"listen": "8080"})"))
        == "coordinator.listen: \"8080\" is not host:port, e.g. \"127.0.0.1:8080\"");
  CHECK(only_error(with(R"({"api_tokens": ["short"]})"))
        == "coordinator.api_tokens[0]: too short; use at least 16 random characters");
  CHECK(only_error(with(R"({"api_tokens": [{"token": "read-token-0123456789", "role": "write"}]})"))
        == "coordinator.api_tokens[0].role: \"write\" is not a role; use \"read\" or \"admin\"");
  CHECK(only_error(with(R"({"api_tokens": ["same-token-0123456789", {"token":
        "same-token-0123456789", "role": "read"}]})"))
        == "coordinator.api_tokens[1]: the same token as an earlier entry; give every token its "
           "own random value");
  CHECK(only_error(with(R"({"api_tokens": [{"role": "read"}]})"))
        == "coordinator.api_tokens[0].token: missing");
  CHECK(only_error(with(R"({"api_tokens": [7]})"))
        == "coordinator.api_tokens[0]: expected a token string or an object {\"token\", "
           "\"role\", \"name\"}, got integer");
}

TEST_CASE("api tokens are plain strings or objects with a role", "[unit][config]") {
  auto text = R"({"xui_servers": [{"id": 1, "host": "h", "port": 1, "username": "u",
    "password": "p"}], "coordinator": {"api_tokens": ["full-token-0123456789",
    {"token": "read-token-0123456789", "role": "read", "name": "dashboard"},
    {"token": "admin-token-0123456789", "role": "admin"}]}})";
  auto plain = parse(text);
  REQUIRE_FALSE(has_errors(plain.problems));
  const auto& tokens = plain.config.coordinator.api_tokens;
  REQUIRE(tokens.size() == 3);
  CHECK(tokens[0].role == token_role::admin);
  CHECK(tokens[1].role == token_role::read);
  CHECK(tokens[1].name == "dashboard");
  CHECK(tokens[2].role == token_role::admin);
  // FLEET_API_TOKEN always has full access, even when the file lists it as read-only.
  auto from_env = parse(text, {{"FLEET_API_TOKEN", "read-token-0123456789"}});
  REQUIRE_FALSE(has_errors(from_env.problems));
  REQUIRE(from_env.config.coordinator.api_tokens.size() == 3);
  CHECK(from_env.config.coordinator.api_tokens[1].role == token_role::admin);
}

TEST_CASE("the agent link needs mutual TLS unless plain TCP is asked for", "[unit][config]") {
  auto with = [](const std::string& coordinator) {
    return R"({"xui_servers": [{"id": 1, "agent": "a1"}], "coordinator": {)" + coordinator + "}}";
  };
  // A server probed by an agent needs no credentials here, but a listener for its agent.
  CHECK(only_error(with("")).rfind("xui_servers[0].agent: agent a1 probes this server", 0) == 0);
  auto no_tls = errors_of(parse(with(R"("agent_listen": "127.0.0.1:0")")));
  REQUIRE(no_tls.size() == 3);
  CHECK(no_tls[0].rfind("coordinator.tls.cert: missing; agent links use mutual TLS", 0) == 0);
  CHECK(no_tls[2].rfind("coordinator.tls.ca: missing", 0) == 0);
  CHECK(only_error(with(R"("agent_listen": "127.0.0.1:0", "tls": {"cert": "/dev/null",
          "key": "/dev/null", "ca": "/nonexistent.pem"})"))
        == "coordinator.tls.ca: cannot read /nonexistent.pem");
  auto plain = parse(with(R"("agent_listen": "127.0.0.1:0", "agent_plaintext": true)"));
  CHECK(errors_of(plain).empty());
  CHECK(std::any_of(plain.problems.begin(), plain.problems.end(), [](const field_problem& p) {
    return p.to_string().rfind("coordinator.agent_plaintext: agent links are neither", 0) == 0;
  }));
  CHECK(only_error(with(R"("agent_listen": "127.0.0.1:0", "agent_plaintext": true,
          "tls": {"ca": "/dev/null"})"))
        == "coordinator.agent_plaintext: contradicts coordinator.tls; use TLS or plain TCP, not "
           "both");
  CHECK(only_error(with(R"("agent_listen": "127.0.0.1:0", "agent_plaintext": true,
          "agent_heartbeat": "2s", "agent_timeout": "1s")"))
        == "coordinator.agent_timeout: 1s must be longer than agent_heartbeat (2s)");
}

TEST_CASE("an agent reads its own section and the panels it serves", "[unit][config]") {
  config_rules rules = builtin_rules();
  rules.program = config_rules::reader::agent;
  auto agent = [&](const std::string& servers, const std::string& section) {
    return parse_config(R"({"xui_servers": [)" + servers + "]" + section + "}", fake_env(), rules);
  };
  auto panel = R"({"id": "p1", "host": "127.0.0.1", "port": 2053, "username": "admin",
                   "password": "pw"})";
  auto fine = agent(panel, R"(, "agent": {"id": "a1", "coordinator": "10.0.0.1:4242",
                                "plaintext": true, "heartbeat": "500ms", "timeout": "2s"})");
  REQUIRE(errors_of(fine).empty());
  CHECK(fine.config.agent.id == "a1");
  CHECK(fine.config.agent.coordinator == "10.0.0.1:4242");
  CHECK(fine.config.agent.link.heartbeat == millis{500});
  CHECK(fine.config.agent.link.timeout == millis{2000});
  CHECK(errors_of(agent(panel, ""))
        == std::vector<std::string>{
            "agent: missing; an agent needs its id and the coordinator's address"});
  auto missing = errors_of(agent(panel, R"(, "agent": {"plaintext": true})"));
  CHECK(missing.size() == 2);
  // Servers of other agents need no credentials here; this agent must serve at least one.
  CHECK(errors_of(agent(R"({"id": "p2", "agent": "a2"})",
                        R"(, "agent": {"id": "a1", "coordinator": "h:1", "plaintext": true})"))
        == std::vector<std::string>{"xui_servers: no server is for agent a1; list its panels "
                                    "without \"agent\" or with \"agent\": \"a1\""});
  auto no_tls = errors_of(agent(panel, R"(, "agent": {"id": "a1", "coordinator": "h:1"})"));
  REQUIRE(no_tls.size() == 3);
  CHECK(no_tls[1].rfind("agent.tls.key: missing; agent links use mutual TLS", 0) == 0);
  CHECK(no_tls[1].find("set plaintext: true for local testing") != std::string::npos);
}

TEST_CASE("every problem of a config is reported, not only the first", "[unit][config]") {
  auto text = R"({"xui_servers": [
    {"id": 1, "host": "h", "port": 0, "username": "u", "password": "p", "max_clients": -1},
    {"id": 1, "port": 1, "username": "u", "password": "p"}],
    "server_management": {"selection_strategy": "x", "load_balance_threshold": 3}})";
  auto errors = errors_of(parse(text));
  CHECK(errors.size() == 6);
}

TEST_CASE("region fallbacks naming unused regions are warnings", "[unit][config]") {
  auto loaded
      = parse(one_server(R"(, "region": "EU")", R"(, "region_fallbacks": {"EU": ["MARS"]})"));
  CHECK_FALSE(has_errors(loaded.problems));
  REQUIRE(loaded.problems.size() == 1);
  CHECK(loaded.problems[0].to_string()
        == "server_management.region_fallbacks.EU: no server is in fallback region \"MARS\"");
}
