#include "coordinator/reload/reload_plan.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace fleet;

namespace {

server_config panel(const std::string& id) {
  server_config s;
  s.id = id;
  s.name = id;
  s.host = "127.0.0.1";
  s.port = 2053;
  s.username = "admin";
  s.password = "pw-" + id;
  s.max_clients = 100;
  return s;
}

fleet_config fleet_of(std::vector<server_config> servers) {
  fleet_config c;
  c.servers = std::move(servers);
  c.coordinator.api_tokens = {std::string{"admin-token-0123456789"}};
  return c;
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool mentions(const std::vector<std::string>& v, const std::string& prefix) {
  return std::any_of(v.begin(), v.end(),
                     [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
}

} // namespace

TEST_CASE("a reload plan adds, removes and changes servers by id", "[unit][reload]") {
  auto running = fleet_of({panel("a"), panel("b")});
  auto b = panel("b");
  b.max_clients = 50;
  b.region = "EU";
  auto c_ = panel("c");
  auto next = fleet_of({c_, b});
  auto plan = plan_reload(running, next);
  CHECK(plan.added == std::vector<std::string>{"c"});
  CHECK(plan.removed == std::vector<std::string>{"a"});
  REQUIRE(plan.changed.size() == 1);
  CHECK(plan.changed[0].id == "b");
  CHECK(plan.changed[0].fields == std::vector<std::string>{"region", "max_clients"});
  CHECK_FALSE(plan.changed[0].restart_probe);
  REQUIRE(plan.effective.servers.size() == 2);
  CHECK(plan.effective.servers[0].id == "c"); // the file's order
  CHECK(plan.effective.servers[1].max_clients == 50);
  CHECK_FALSE(plan.applies_nothing());
}

TEST_CASE("changed credentials restart the probe and are named without their value",
          "[unit][reload]") {
  auto running = fleet_of({panel("a")});
  auto a = panel("a");
  a.password = "new-secret-password";
  auto plan = plan_reload(running, fleet_of({a}));
  REQUIRE(plan.changed.size() == 1);
  CHECK(plan.changed[0].fields == std::vector<std::string>{"credentials"});
  CHECK(plan.changed[0].restart_probe);
  auto text = plan.summary().dump();
  CHECK(text.find("new-secret-password") == std::string::npos);
  CHECK(text.find("pw-a") == std::string::npos);
  CHECK(plan.effective.servers[0].password == "new-secret-password");
}

TEST_CASE("the same file applies nothing", "[unit][reload]") {
  auto running = fleet_of({panel("a")});
  auto plan = plan_reload(running, running);
  CHECK(plan.applies_nothing());
  CHECK(plan.restart_required.empty());
}

TEST_CASE("listeners and other fixed settings keep their running value until a restart",
          "[unit][reload]") {
  auto running = fleet_of({panel("a")});
  auto next = running;
  next.coordinator.listen = "127.0.0.1:9999";
  next.management.selection_strategy = "round_robin";
  next.log_level = "debug";
  auto plan = plan_reload(running, next);
  CHECK(plan.applies_nothing());
  CHECK(mentions(plan.restart_required, "coordinator.listen: needs a restart"));
  CHECK(mentions(plan.restart_required, "server_management.selection_strategy: "));
  CHECK(mentions(plan.restart_required, "log_level: "));
  CHECK(plan.effective.coordinator.listen == running.coordinator.listen);
  CHECK(plan.effective.management.selection_strategy == "least_load");
}

TEST_CASE("webhooks and alerts keep their running value until a restart, named without secrets",
          "[unit][reload]") {
  auto running = fleet_of({panel("a")});
  auto next = running;
  webhook_settings hook;
  hook.url = "https://hooks.example.com/fleet";
  hook.secret = "webhook-secret-0123456789";
  next.coordinator.webhooks.push_back(hook);
  next.coordinator.alerts.telegram.bot_token = "123456:telegram-token-abcdef";
  next.coordinator.alerts.telegram.chat_id = "42";
  auto plan = plan_reload(running, next);
  CHECK(plan.applies_nothing());
  CHECK(mentions(plan.restart_required, "coordinator.webhooks: needs a restart"));
  CHECK(mentions(plan.restart_required, "coordinator.alerts: needs a restart"));
  CHECK(plan.effective.coordinator.webhooks.empty());
  auto text = plan.summary().dump();
  CHECK(text.find("webhook-secret-0123456789") == std::string::npos);
  CHECK(text.find("telegram-token") == std::string::npos);
}

TEST_CASE("health check settings apply by restarting the probes", "[unit][reload]") {
  auto running = fleet_of({panel("a")});
  auto next = running;
  next.management.health_check_interval = millis{1'000};
  auto plan = plan_reload(running, next);
  CHECK(plan.probe_settings_changed);
  CHECK(has(plan.management_changed, "health_check_interval"));
  CHECK(plan.effective.management.health_check_interval == millis{1'000});
}

TEST_CASE("servers behind an agent change only with a restart", "[unit][reload]") {
  auto a = panel("a");
  a.agent = "edge-1";
  auto running = fleet_of({a});
  auto b = panel("b");
  b.agent = "edge-1";
  auto plan = plan_reload(running, fleet_of({b}));
  CHECK(plan.added.empty());
  CHECK(plan.removed.empty());
  CHECK(mentions(plan.restart_required, "xui_servers[b]: adding a server behind an agent"));
  CHECK(mentions(plan.restart_required, "xui_servers[a]: removing a server behind an agent"));
  REQUIRE(plan.effective.servers.size() == 1);
  CHECK(plan.effective.servers[0].id == "a");
}

TEST_CASE("token changes are counted, never shown", "[unit][reload]") {
  auto running = fleet_of({panel("a")});
  auto next = running;
  next.coordinator.api_tokens = {api_token{"admin-token-0123456789", token_role::read, "dashboard"},
                                 api_token{"other-token-0123456789"}};
  auto plan = plan_reload(running, next);
  CHECK(plan.tokens_added == 1);
  CHECK(plan.tokens_changed == 1);
  CHECK(plan.tokens_removed == 0);
  CHECK(plan.summary().dump().find("token-0123456789") == std::string::npos);
  CHECK(plan.effective.coordinator.api_tokens.size() == 2);
}
