// Telegram alerts against a fake Bot API on loopback: panels that fall together are one
// message, their recovery another, and the bot token shows nowhere but in the request path.

#include "tests/integration/api_fleet.hpp"
#include "tests/support/recording_http_server.hpp"

using namespace fleet;
using namespace fleet::test;

namespace {

const std::string bot_token = "123456:TOKEN-secret-abcdef";

std::vector<std::string> texts(const recording_http_server& bot) {
  std::vector<std::string> out;
  for (const auto& req : bot.accepted())
    out.push_back(json::parse(req.body).at("text").get<std::string>());
  return out;
}

} // namespace

TEST_CASE("telegram: three panels down together are one message, then one recovery",
          "[integration][alerts]") {
  recording_http_server bot;
  REQUIRE(bot.start());
  api_fleet f{[&](fleet_config& c) {
    auto& t = c.coordinator.alerts.telegram;
    t.bot_token = bot_token;
    t.chat_id = "-10042";
    t.api_base = bot.url("");
    t.group_window = 2500ms;
    t.hold_down = 500ms;
  }};
  // Healthy from the start: nothing to say.
  std::this_thread::sleep_for(300ms);
  CHECK(texts(bot).empty());
  for (const auto* id : {"a", "b", "c"})
    f.fleet.panels.set_down(id, true);
  for (const auto* id : {"a", "b", "c"})
    REQUIRE(f.fleet.wait_for_state(id, server_state::unhealthy, 5s) >= 0ms);
  REQUIRE(eventually([&] { return !texts(bot).empty(); }));
  // A window later, still the one message.
  std::this_thread::sleep_for(2600ms);
  auto sent = texts(bot);
  REQUIRE(sent.size() == 1);
  CHECK_THAT(sent[0], Catch::Contains("ALL SERVERS DOWN"));
  CHECK_THAT(sent[0], Catch::Contains("3 servers down: a, b, c"));
  auto req = bot.accepted().front();
  CHECK(req.path == "/bot" + bot_token + "/sendMessage");
  CHECK(json::parse(req.body).at("chat_id") == "-10042");
  for (const auto* id : {"a", "b", "c"})
    f.fleet.panels.set_down(id, false);
  REQUIRE(eventually([&] { return texts(bot).size() >= 2; }, 8s));
  std::this_thread::sleep_for(2600ms);
  sent = texts(bot);
  REQUIRE(sent.size() == 2);
  CHECK(sent[1] == "✅ 3 servers recovered: a, b, c (3 of 3 up)");
  // The token is in no answer of the API.
  auto metrics = f.client().Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find(bot_token) == std::string::npos);
  CHECK_THAT(metrics->body,
             Catch::Contains("xui_fleet_alerts_total{sink=\"telegram\",result=\"sent\"} 2"));
  CHECK(get(f, "/api/v1/webhooks").text.find(bot_token) == std::string::npos);
}
