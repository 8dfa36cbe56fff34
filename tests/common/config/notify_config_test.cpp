#include "common/config/config.hpp"
#include "tests/common/config/config_test_support.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

namespace {

const std::string secret = "0123456789abcdef0123";

/// A valid config whose `coordinator` object gets `extra`.
std::string with_coordinator(const std::string& extra) {
  return R"({"xui_servers": [{"id": 1, "host": "panel.example", "port": 2053,
              "username": "admin", "password": "pw"}],
             "coordinator": {)"
         + extra + "}}";
}

std::vector<std::string> webhook_errors(const std::string& webhook) {
  return errors_of(parse(with_coordinator(R"("webhooks": [)" + webhook + "]")));
}

std::vector<std::string> telegram_errors(const std::string& telegram) {
  return errors_of(parse(with_coordinator(R"("alerts": {"telegram": )" + telegram + "}")));
}

} // namespace

TEST_CASE("coordinator.webhooks: url, secret, events and timeout, with defaults",
          "[unit][config]") {
  auto loaded = parse(
      with_coordinator(R"("webhooks": [{"url": "https://hooks.example.net/fleet", "secret": ")"
                       + secret + R"(", "events": ["server.*", "client.created"], "timeout": "5s"},
         {"url": "http://127.0.0.1:9000/in", "secret": ")"
                       + secret + R"("}])"));
  CHECK(errors_of(loaded).empty());
  const auto& hooks = loaded.config.coordinator.webhooks;
  REQUIRE(hooks.size() == 2);
  CHECK(hooks[0].url == "https://hooks.example.net/fleet");
  CHECK(hooks[0].events == std::vector<std::string>{"server.*", "client.created"});
  CHECK(hooks[0].timeout == std::chrono::seconds{5});
  CHECK(hooks[1].events == std::vector<std::string>{"*"});
  CHECK(hooks[1].timeout == std::chrono::seconds{10});
  CHECK(parse(one_server()).config.coordinator.webhooks.empty());
}

TEST_CASE("coordinator.webhooks: each bad field is an error naming it", "[unit][config]") {
  CHECK(webhook_errors(R"({"url": "ftp://x.example/in", "secret": ")" + secret + R"("})")
        == std::vector<std::string>{
            "coordinator.webhooks[0].url: must start with http:// or https://, e.g. "
            "https://hooks.example.net/fleet"});
  CHECK(webhook_errors(R"({"url": "https:///in", "secret": ")" + secret + R"("})")
        == std::vector<std::string>{
            "coordinator.webhooks[0].url: has no host; write it as scheme://host[:port]/path"});
  CHECK(webhook_errors(R"({"url": "https://x.example/in"})")
        == std::vector<std::string>{"coordinator.webhooks[0].secret: missing"});
  auto short_secret = webhook_errors(R"({"url": "https://x.example/in", "secret": "abc"})");
  REQUIRE(short_secret.size() == 1);
  CHECK_THAT(short_secret[0],
             Catch::StartsWith("coordinator.webhooks[0].secret: too short; use at least 16"));
  // The secret itself is never quoted.
  CHECK(short_secret[0].find("abc") == std::string::npos);
  auto bad_event = webhook_errors(R"({"url": "https://x.example/in", "secret": ")" + secret
                                  + R"(", "events": ["server.*", "servr.down"]})");
  REQUIRE(bad_event.size() == 1);
  CHECK_THAT(bad_event[0], Catch::StartsWith("coordinator.webhooks[0].events[1]: \"servr.down\" "
                                             "matches no event type"));
  CHECK_THAT(bad_event[0], Catch::Contains("server.*"));
  CHECK(webhook_errors(R"({"url": "https://x.example/in", "secret": ")" + secret
                       + R"(", "timeout": "0s"})")
        == std::vector<std::string>{
            "coordinator.webhooks[0].timeout: must be positive, e.g. \"10s\""});
  auto bad_duration = webhook_errors(R"({"url": "https://x.example/in", "secret": ")" + secret
                                     + R"(", "timeout": "soon"})");
  REQUIRE(bad_duration.size() == 1);
  CHECK_THAT(bad_duration[0], Catch::StartsWith("coordinator.webhooks[0].timeout: "));
  CHECK(errors_of(parse(with_coordinator(R"("webhooks": {"url": "x"})")))
        == std::vector<std::string>{"coordinator.webhooks: expected an array of {url, secret, "
                                    "events, timeout}, got object"});
  auto twice
      = webhook_errors(R"({"url": "https://x.example/in", "secret": ")" + secret
                       + R"("}, {"url": "https://x.example/in", "secret": ")" + secret + R"("})");
  REQUIRE(twice.size() == 1);
  CHECK_THAT(twice[0], Catch::StartsWith("coordinator.webhooks[1].url: used by an earlier"));
}

TEST_CASE("coordinator.alerts.telegram: token, chat and api_base", "[unit][config]") {
  auto loaded = parse(with_coordinator(
      R"("alerts": {"telegram": {"bot_token": "123456:ABC-def", "chat_id": "-1001",
                                 "api_base": "http://127.0.0.1:8081/"}})"));
  CHECK(errors_of(loaded).empty());
  const auto& t = loaded.config.coordinator.alerts.telegram;
  CHECK(t.bot_token == "123456:ABC-def");
  CHECK(t.chat_id == "-1001");
  CHECK(t.api_base == "http://127.0.0.1:8081");
  CHECK(parse(one_server()).config.coordinator.alerts.telegram.api_base
        == "https://api.telegram.org");
  CHECK(telegram_errors(R"({"chat_id": "1"})")
        == std::vector<std::string>{"coordinator.alerts.telegram.bot_token: missing"});
  CHECK(telegram_errors(R"({"bot_token": "123456:ABC"})")
        == std::vector<std::string>{"coordinator.alerts.telegram.chat_id: missing"});
  auto bad_token = telegram_errors(R"({"bot_token": "not-a-token", "chat_id": "1"})");
  REQUIRE(bad_token.size() == 1);
  CHECK_THAT(bad_token[0], Catch::StartsWith("coordinator.alerts.telegram.bot_token: is not"));
  CHECK(bad_token[0].find("not-a-token") == std::string::npos);
  CHECK(telegram_errors(R"({"bot_token": "1:A", "chat_id": "1", "api_base": "api.telegram.org"})")
        == std::vector<std::string>{"coordinator.alerts.telegram.api_base: must start with "
                                    "http:// or https://, e.g. https://hooks.example.net/fleet"});
}
