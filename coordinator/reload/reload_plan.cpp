#include "coordinator/reload/reload_plan.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

namespace fleet {

namespace {

/// The fields of a server a reload compares, by name; `probe` when a change restarts its
/// probe. Credentials are one field, so that an answer never tells which secret changed.
struct server_field {
  const char* name;
  bool probe;
  std::function<bool(const server_config&, const server_config&)> same;
};

const std::vector<server_field>& server_fields() {
  static const std::vector<server_field> fields = {
      {"name", false, [](const auto& a, const auto& b) { return a.name == b.name; }},
      {"address", true,
       [](const auto& a, const auto& b) {
         return std::tie(a.host, a.port, a.base_path, a.scheme)
                == std::tie(b.host, b.port, b.base_path, b.scheme);
       }},
      {"credentials", true,
       [](const auto& a, const auto& b) {
         return std::tie(a.username, a.password, a.api_token, a.two_factor_secret)
                == std::tie(b.username, b.password, b.api_token, b.two_factor_secret);
       }},
      {"tls", true,
       [](const auto& a, const auto& b) {
         return std::tie(a.tls.ca_file, a.tls.pinned_pubkey, a.tls.insecure_skip_verify)
                == std::tie(b.tls.ca_file, b.tls.pinned_pubkey, b.tls.insecure_skip_verify);
       }},
      {"enabled", true, [](const auto& a, const auto& b) { return a.enabled == b.enabled; }},
      {"inbound_id", true,
       [](const auto& a, const auto& b) { return a.inbound_id == b.inbound_id; }},
      {"client_flow", true,
       [](const auto& a, const auto& b) { return a.client_flow == b.client_flow; }},
      {"priority", false, [](const auto& a, const auto& b) { return a.priority == b.priority; }},
      {"weight", false, [](const auto& a, const auto& b) { return a.weight == b.weight; }},
      {"region", false, [](const auto& a, const auto& b) { return a.region == b.region; }},
      {"max_clients", false,
       [](const auto& a, const auto& b) { return a.max_clients == b.max_clients; }},
      {"public_host", false,
       [](const auto& a, const auto& b) { return a.public_host == b.public_host; }},
      {"agent", false, [](const auto& a, const auto& b) { return a.agent == b.agent; }},
  };
  return fields;
}

/// A named comparison of two sections of the configuration.
template <class T>
struct named_check {
  const char* name;
  std::function<bool(const T&, const T&)> same;
};

#define FLEET_SAME(section, field)                                                                 \
  named_check<section> {                                                                           \
#field, [](const section& a, const section& b) { return a.field == b.field; }                  \
  }

/// `server_management` settings the probes read: applied by restarting the local probes.
const std::vector<named_check<management_settings>>& probe_settings() {
  static const std::vector<named_check<management_settings>> checks = {
      FLEET_SAME(management_settings, health_check_interval),
      FLEET_SAME(management_settings, health_check_timeout),
      FLEET_SAME(management_settings, healthy_threshold),
      FLEET_SAME(management_settings, unhealthy_threshold),
      FLEET_SAME(management_settings, max_retries),
      FLEET_SAME(management_settings, retry_delay),
      FLEET_SAME(management_settings, max_batch),
  };
  return checks;
}

/// `server_management` settings only a restart applies.
const std::vector<named_check<management_settings>>& fixed_settings() {
  static const std::vector<named_check<management_settings>> checks = {
      FLEET_SAME(management_settings, selection_strategy),
      FLEET_SAME(management_settings, load_balance_threshold),
      FLEET_SAME(management_settings, auto_failover),
      FLEET_SAME(management_settings, geographic_routing),
      FLEET_SAME(management_settings, region_fallbacks),
      FLEET_SAME(management_settings, panic_threshold),
      FLEET_SAME(management_settings, on_panic),
      FLEET_SAME(management_settings, passive_failure_threshold),
      FLEET_SAME(management_settings, max_ejection_percent),
      FLEET_SAME(management_settings, reconcile_interval),
      FLEET_SAME(management_settings, drift_repair),
      FLEET_SAME(management_settings, evacuate_after),
      FLEET_SAME(management_settings, max_evacuation_percent),
      FLEET_SAME(management_settings, evacuation_batch),
      FLEET_SAME(management_settings, evacuation_parallel_panels),
  };
  return checks;
}

/// `coordinator` settings only a restart applies (listeners, store, agent link, ...).
const std::vector<named_check<coordinator_settings>>& fixed_coordinator() {
  static const std::vector<named_check<coordinator_settings>> checks = {
      FLEET_SAME(coordinator_settings, listen),
      FLEET_SAME(coordinator_settings, data_dir),
      FLEET_SAME(coordinator_settings, agent_listen),
      named_check<coordinator_settings>{
          "tls",
          [](const auto& a, const auto& b) {
            const auto& x = a.agent_link;
            const auto& y = b.agent_link;
            return std::tie(x.tls.cert, x.tls.key, x.tls.ca, x.plaintext)
                       == std::tie(y.tls.cert, y.tls.key, y.tls.ca, y.plaintext)
                   && x.heartbeat == y.heartbeat && x.timeout == y.timeout;
          }},
      FLEET_SAME(coordinator_settings, metrics_auth),
      FLEET_SAME(coordinator_settings, subscription_listen),
      FLEET_SAME(coordinator_settings, subscription_base_url),
      FLEET_SAME(coordinator_settings, subscription_rate_limit),
      FLEET_SAME(coordinator_settings, subscription_title),
      FLEET_SAME(coordinator_settings, subscription_update_hours),
      named_check<coordinator_settings>{
          "backup",
          [](const auto& a, const auto& b) {
            return std::tie(a.backup.dir, a.backup.every, a.backup.keep)
                   == std::tie(b.backup.dir, b.backup.every, b.backup.keep);
          }},
      named_check<coordinator_settings>{
          "webhooks",
          [](const auto& a, const auto& b) {
            auto key = [](const webhook_settings& w) {
              return std::tie(w.url, w.secret, w.events, w.timeout, w.retry_min, w.retry_max);
            };
            return std::equal(a.webhooks.begin(), a.webhooks.end(), b.webhooks.begin(),
                              b.webhooks.end(),
                              [&](const auto& x, const auto& y) { return key(x) == key(y); });
          }},
      named_check<coordinator_settings>{
          "alerts",
          [](const auto& a, const auto& b) {
            const auto& x = a.alerts.telegram;
            const auto& y = b.alerts.telegram;
            return std::tie(x.bot_token, x.chat_id, x.api_base, x.group_window, x.hold_down)
                   == std::tie(y.bot_token, y.chat_id, y.api_base, y.group_window, y.hold_down);
          }},
  };
  return checks;
}

#undef FLEET_SAME

const char* const needs_restart = "needs a restart; the running value stays until then";

void plan_tokens(const fleet_config& running, const fleet_config& next, reload_plan& plan) {
  std::map<std::string, const api_token*> before;
  for (const auto& t : running.coordinator.api_tokens)
    before[t.token] = &t;
  for (const auto& t : next.coordinator.api_tokens) {
    auto i = before.find(t.token);
    if (i == before.end()) {
      ++plan.tokens_added;
      continue;
    }
    if (i->second->role != t.role || i->second->name != t.name)
      ++plan.tokens_changed;
    before.erase(i);
  }
  plan.tokens_removed = static_cast<int64_t>(before.size());
  plan.rate_limit_changed = running.coordinator.rate_limit != next.coordinator.rate_limit;
}

/// Servers: a server behind an agent is added, removed or changed only by a restart (its
/// agent decides which panels it probes when it registers).
void plan_servers(const fleet_config& running, const fleet_config& next, reload_plan& plan) {
  std::map<std::string, const server_config*> before;
  for (const auto& s : running.servers)
    before[s.id] = &s;
  auto& servers = plan.effective.servers;
  servers.clear();
  auto behind_agent = [&](const server_config& s, const char* what) {
    plan.restart_required.push_back("xui_servers[" + s.id + "]: " + what
                                    + " a server behind an agent " + needs_restart);
  };
  for (const auto& s : next.servers) {
    auto i = before.find(s.id);
    if (i == before.end()) {
      if (!s.agent.empty()) {
        behind_agent(s, "adding");
        continue;
      }
      plan.added.push_back(s.id);
      servers.push_back(s);
      continue;
    }
    const auto& old = *i->second;
    server_update update{s.id, {}, false};
    for (const auto& f : server_fields())
      if (!f.same(old, s)) {
        update.fields.emplace_back(f.name);
        update.restart_probe = update.restart_probe || f.probe;
      }
    if (!update.fields.empty() && (!old.agent.empty() || !s.agent.empty())) {
      behind_agent(s, "changing");
      servers.push_back(old);
    } else {
      servers.push_back(s);
      if (!update.fields.empty())
        plan.changed.push_back(std::move(update));
    }
    before.erase(i);
  }
  for (const auto& s : running.servers) {
    if (before.count(s.id) == 0)
      continue;
    if (!s.agent.empty()) {
      behind_agent(s, "removing");
      servers.push_back(s);
    } else {
      plan.removed.push_back(s.id);
    }
  }
}

} // namespace

reload_plan plan_reload(const fleet_config& running, const fleet_config& next) {
  reload_plan plan;
  // What only a restart applies keeps its running value.
  plan.effective = running;
  plan_servers(running, next, plan);
  auto& m = plan.effective.management;
  for (const auto& c : probe_settings())
    if (!c.same(running.management, next.management)) {
      plan.management_changed.emplace_back(c.name);
      plan.probe_settings_changed = true;
    }
  m.health_check_interval = next.management.health_check_interval;
  m.health_check_timeout = next.management.health_check_timeout;
  m.healthy_threshold = next.management.healthy_threshold;
  m.unhealthy_threshold = next.management.unhealthy_threshold;
  m.max_retries = next.management.max_retries;
  m.retry_delay = next.management.retry_delay;
  m.max_batch = next.management.max_batch;
  for (const auto& c : fixed_settings())
    if (!c.same(running.management, next.management))
      plan.restart_required.push_back(std::string{"server_management."} + c.name + ": "
                                      + needs_restart);
  for (const auto& c : fixed_coordinator())
    if (!c.same(running.coordinator, next.coordinator))
      plan.restart_required.push_back(std::string{"coordinator."} + c.name + ": " + needs_restart);
  if (running.log_level != next.log_level)
    plan.restart_required.push_back(std::string{"log_level: "} + needs_restart);
  plan_tokens(running, next, plan);
  plan.effective.coordinator.api_tokens = next.coordinator.api_tokens;
  plan.effective.coordinator.rate_limit = next.coordinator.rate_limit;
  return plan;
}

bool reload_plan::applies_nothing() const {
  return added.empty() && removed.empty() && changed.empty() && management_changed.empty()
         && tokens_added == 0 && tokens_removed == 0 && tokens_changed == 0 && !rate_limit_changed;
}

nlohmann::json reload_plan::summary() const {
  auto changes = nlohmann::json::array();
  for (const auto& c : changed)
    changes.push_back({{"id", c.id}, {"fields", c.fields}});
  return {{"servers", {{"added", added}, {"removed", removed}, {"changed", changes}}},
          {"server_management", management_changed},
          {"api_tokens",
           {{"added", tokens_added}, {"removed", tokens_removed}, {"changed", tokens_changed}}},
          {"rate_limit", rate_limit_changed},
          {"restart_required", restart_required}};
}

} // namespace fleet
