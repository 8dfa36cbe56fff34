#include "common/config/config.hpp"
#include "common/json_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

namespace fleet {

namespace {

constexpr int64_t int_max = std::numeric_limits<int64_t>::max();

/// Converts the byte offset of a JSON parse error into "line L, column C" (both from 1).
std::string line_and_column(std::string_view text, size_t byte) {
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  // nlohmann reports the position after the offending character.
  if (column > 1)
    --column;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

/// Strips nlohmann's "[json.exception...] parse error at ...: " prefix from a message.
std::string parse_reason(const std::string& what) {
  auto pos = what.find(": ");
  if (pos == std::string::npos)
    return what;
  auto rest = what.substr(pos + 2);
  return rest;
}

/// "[json.exception.out_of_range.406] number overflow ..." without its bracketed id.
std::string without_exception_id(std::string_view what) {
  auto pos = what.find("] ");
  return std::string{pos == std::string_view::npos ? what : what.substr(pos + 2)};
}

/// Turns "panel", "/panel" and "/panel/" alike into "/panel/".
std::string normalize_base_path(std::string path) {
  if (path.empty() || path.front() != '/')
    path.insert(path.begin(), '/');
  if (path.back() != '/')
    path.push_back('/');
  return path;
}

void read_tls(json_reader& parent, const nlohmann::json& object, const std::string& path,
              panel_tls& out, field_problems& problems) {
  if (!parent.has("tls"))
    return;
  json_reader r{object.at("tls"), path, problems};
  r.string("ca_file", out.ca_file);
  r.string("pinned_pubkey", out.pinned_pubkey);
  r.boolean("insecure_skip_verify", out.insecure_skip_verify);
  r.warn_unknown({"ca_file", "pinned_pubkey", "insecure_skip_verify"});
}

server_config read_server(const nlohmann::json& object, const std::string& path,
                          field_problems& problems) {
  server_config s;
  json_reader r{object, path, problems};
  if (!r.valid())
    return s;
  r.id("id", s.id, true);
  r.string("name", s.name);
  // A panel behind an agent may leave its address (and credentials) to the agent's file.
  r.string("agent", s.agent);
  r.string("host", s.host, s.agent.empty());
  // "[::1]" as in a URL and "::1" alike: the URL builder adds the brackets.
  if (s.host.size() > 2 && s.host.front() == '[' && s.host.back() == ']')
    s.host = s.host.substr(1, s.host.size() - 2);
  int64_t port = 0;
  r.integer("port", port, 1, 65535, s.agent.empty());
  s.port = static_cast<uint16_t>(port);
  r.string("username", s.username);
  r.string("password", s.password);
  r.boolean("enabled", s.enabled);
  r.integer("priority", s.priority, -1'000'000, 1'000'000);
  r.integer("max_clients", s.max_clients, 0, int_max);
  r.string("region", s.region);
  r.string("base_path", s.base_path);
  if (r.has("scheme")) {
    std::string scheme;
    r.string("scheme", scheme);
    if (scheme == "https")
      s.scheme = panel_scheme::https;
    else if (scheme == "http")
      s.scheme = panel_scheme::http;
    else if (!scheme.empty())
      r.fail("scheme", "\"" + scheme + "\" is not http or https");
  }
  r.string("api_token", s.api_token);
  r.string("two_factor_secret", s.two_factor_secret);
  r.integer("inbound_id", s.inbound_id, 1, int_max);
  read_tls(r, object, r.path_of("tls"), s.tls, problems);
  r.integer("weight", s.weight, 1, 1000);
  r.string("public_host", s.public_host);
  if (s.public_host.size() > 2 && s.public_host.front() == '[' && s.public_host.back() == ']')
    s.public_host = s.public_host.substr(1, s.public_host.size() - 2);
  r.string("client_flow", s.client_flow);
  // `token` and `description` belong to the original format and are accepted as they are.
  r.warn_unknown({"id",          "name",
                  "host",        "port",
                  "username",    "password",
                  "enabled",     "priority",
                  "max_clients", "region",
                  "base_path",   "scheme",
                  "api_token",   "two_factor_secret",
                  "inbound_id",  "tls",
                  "agent",       "weight",
                  "public_host", "client_flow",
                  "token",       "description"});
  if (s.name.empty())
    s.name = s.id;
  s.base_path = normalize_base_path(s.base_path);
  return s;
}

void read_management(const nlohmann::json& object, management_settings& m,
                     field_problems& problems) {
  json_reader r{object, "server_management", problems};
  if (!r.valid())
    return;
  r.string("selection_strategy", m.selection_strategy);
  r.duration("health_check_interval", m.health_check_interval);
  r.duration("health_check_timeout", m.health_check_timeout);
  r.integer("max_retries", m.max_retries, 0, 100);
  r.duration("retry_delay", m.retry_delay);
  r.number("load_balance_threshold", m.load_balance_threshold, 0.0, 1.0);
  r.boolean("auto_failover", m.auto_failover);
  r.boolean("geographic_routing", m.geographic_routing);
  r.integer("healthy_threshold", m.healthy_threshold, 1, 100);
  r.integer("unhealthy_threshold", m.unhealthy_threshold, 1, 100);
  if (r.has("region_fallbacks")) {
    const auto& fallbacks = object.at("region_fallbacks");
    json_reader fr{fallbacks, r.path_of("region_fallbacks"), problems};
    if (fr.valid())
      for (const auto& item : fallbacks.items())
        fr.strings(item.key().c_str(), m.region_fallbacks[item.key()]);
  }
  r.number("panic_threshold", m.panic_threshold, 0.0, 1.0);
  if (r.has("panic_policy")) {
    std::string policy;
    r.string("panic_policy", policy);
    if (policy == "keep_healthy")
      m.on_panic = panic_policy::keep_healthy;
    else if (policy == "refuse")
      m.on_panic = panic_policy::refuse;
    else if (!policy.empty())
      r.fail("panic_policy", "\"" + policy + "\" is not keep_healthy or refuse");
  }
  r.integer("max_batch", m.max_batch, 1, 1000);
  r.integer("passive_failure_threshold", m.passive_failure_threshold, 0, 1000);
  r.integer("max_ejection_percent", m.max_ejection_percent, 0, 100);
  r.duration("reconcile_interval", m.reconcile_interval);
  r.boolean("drift_repair", m.drift_repair);
  r.duration("evacuate_after", m.evacuate_after);
  r.integer("max_evacuation_percent", m.max_evacuation_percent, 0, 100);
  r.integer("evacuation_batch", m.evacuation_batch, 1, 1000);
  r.integer("evacuation_parallel_panels", m.evacuation_parallel_panels, 1, 100);
  r.warn_unknown({"selection_strategy",
                  "health_check_interval",
                  "health_check_timeout",
                  "max_retries",
                  "retry_delay",
                  "load_balance_threshold",
                  "auto_failover",
                  "geographic_routing",
                  "healthy_threshold",
                  "unhealthy_threshold",
                  "region_fallbacks",
                  "panic_threshold",
                  "panic_policy",
                  "max_batch",
                  "passive_failure_threshold",
                  "max_ejection_percent",
                  "reconcile_interval",
                  "drift_repair",
                  "evacuate_after",
                  "max_evacuation_percent",
                  "evacuation_batch",
                  "evacuation_parallel_panels"});
}

void read_link_tls(json_reader& parent, const nlohmann::json& object, link_tls& out,
                   field_problems& problems) {
  if (!parent.has("tls"))
    return;
  json_reader r{object.at("tls"), parent.path_of("tls"), problems};
  r.string("cert", out.cert);
  r.string("key", out.key);
  r.string("ca", out.ca);
  r.warn_unknown({"cert", "key", "ca"});
}

void read_backup(json_reader& parent, const nlohmann::json& object, backup_settings& out,
                 field_problems& problems) {
  if (!parent.has("backup"))
    return;
  json_reader r{object.at("backup"), parent.path_of("backup"), problems};
  if (!r.valid())
    return;
  r.string("dir", out.dir, true);
  if (const auto& dir = object.at("backup").value("dir", nlohmann::json{});
      dir.is_string() && out.dir.empty())
    r.fail("dir", "must not be empty; name the directory backups go to");
  r.duration("every", out.every);
  r.integer("keep", out.keep, 1, 1000);
  r.warn_unknown({"dir", "every", "keep"});
}

void read_coordinator(const nlohmann::json& object, coordinator_settings& c,
                      field_problems& problems) {
  json_reader r{object, "coordinator", problems};
  if (!r.valid())
    return;
  r.string("listen", c.listen);
  if (r.has("api_tokens"))
    read_api_tokens(object.at("api_tokens"), r.path_of("api_tokens"), c.api_tokens, problems);
  r.string("data_dir", c.data_dir);
  r.string("agent_listen", c.agent_listen);
  read_link_tls(r, object, c.agent_link.tls, problems);
  r.boolean("agent_plaintext", c.agent_link.plaintext);
  r.duration("agent_heartbeat", c.agent_link.heartbeat);
  r.duration("agent_timeout", c.agent_link.timeout);
  r.boolean("metrics_auth", c.metrics_auth);
  r.number("rate_limit", c.rate_limit, 0.0, 1e9);
  r.string("subscription_listen", c.subscription_listen);
  r.string("subscription_base_url", c.subscription_base_url);
  while (!c.subscription_base_url.empty() && c.subscription_base_url.back() == '/')
    c.subscription_base_url.pop_back();
  r.number("subscription_rate_limit", c.subscription_rate_limit, 0.0, 1e9);
  r.string("subscription_title", c.subscription_title);
  r.integer("subscription_update_hours", c.subscription_update_hours, 1, 24 * 30);
  read_backup(r, object, c.backup, problems);
  read_webhooks(r, object, c.webhooks, problems);
  read_alerts(r, object, c.alerts, problems);
  r.warn_unknown({"webhooks", "alerts", "listen", "api_tokens", "data_dir", "agent_listen", "tls",
                  "agent_plaintext", "agent_heartbeat", "agent_timeout", "metrics_auth",
                  "rate_limit", "subscription_listen", "subscription_base_url",
                  "subscription_rate_limit", "subscription_title", "subscription_update_hours",
                  "backup"});
}

void read_agent(const nlohmann::json& object, agent_settings& a, field_problems& problems) {
  json_reader r{object, "agent", problems};
  if (!r.valid())
    return;
  r.string("id", a.id, true);
  r.string("coordinator", a.coordinator, true);
  read_link_tls(r, object, a.link.tls, problems);
  r.boolean("plaintext", a.link.plaintext);
  r.duration("heartbeat", a.link.heartbeat);
  r.duration("timeout", a.link.timeout);
  r.warn_unknown({"id", "coordinator", "tls", "plaintext", "heartbeat", "timeout"});
}

void apply_env(fleet_config& config, const env_lookup& env) {
  for (auto& s : config.servers) {
    if (s.id.empty())
      continue;
    if (auto password = env(server_env_name(s.id, "PASSWORD")))
      s.password = *password;
    if (auto token = env(server_env_name(s.id, "API_TOKEN")))
      s.api_token = *token;
    if (auto secret = env(server_env_name(s.id, "TOTP_SECRET")))
      s.two_factor_secret = *secret;
  }
  // Full access always; the same token listed in the file as well is not counted twice.
  if (auto token = env("FLEET_API_TOKEN"); token && !token->empty()) {
    auto& tokens = config.coordinator.api_tokens;
    auto same = std::find_if(tokens.begin(), tokens.end(),
                             [&](const api_token& t) { return t.token == *token; });
    if (same == tokens.end())
      tokens.emplace_back(*token, token_role::admin, "FLEET_API_TOKEN");
    else
      same->role = token_role::admin;
  }
}

} // namespace

env_lookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (const char* value = std::getenv(name.c_str()))
      return std::string{value};
    return std::nullopt;
  };
}

config_result parse_config(std::string_view text, const env_lookup& env,
                           const config_rules& rules) {
  config_result result;
  auto& problems = result.problems;
  auto& config = result.config;
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    problems.push_back(
        {field_problem::severity::error, "",
         "malformed JSON at " + line_and_column(text, e.byte) + ": " + parse_reason(e.what())});
    return result;
  } catch (const nlohmann::json::out_of_range& e) {
    // The reader throws this one, without a position, for a number beyond a double's range.
    problems.push_back({field_problem::severity::error, "",
                        "malformed JSON: " + without_exception_id(e.what())
                            + "; numbers must fit in a 64-bit integer or a double"});
    return result;
  }
  json_reader top{doc, "", problems};
  if (!top.valid())
    return result;
  if (!top.has("xui_servers")) {
    top.fail("xui_servers", "missing; list the panels of the fleet here");
  } else if (const auto& list = doc.at("xui_servers"); !list.is_array()) {
    top.fail("xui_servers", "expected an array of servers, got " + json_type_name(list));
  } else {
    for (size_t i = 0; i < list.size(); ++i)
      config.servers.push_back(
          read_server(list[i], "xui_servers[" + std::to_string(i) + "]", problems));
  }
  if (top.has("server_management"))
    read_management(doc.at("server_management"), config.management, problems);
  if (top.has("coordinator"))
    read_coordinator(doc.at("coordinator"), config.coordinator, problems);
  if (rules.program == config_rules::reader::agent) {
    if (top.has("agent"))
      read_agent(doc.at("agent"), config.agent, problems);
    else
      top.fail("agent", "missing; an agent needs its id and the coordinator's address");
  }
  top.string("log_level", config.log_level);
  apply_env(config, env);
  validate(config, rules, problems);
  return result;
}

config_result load_config_file(const std::string& path, const env_lookup& env,
                               const config_rules& rules) {
  std::ifstream in{path, std::ios::binary};
  if (!in) {
    config_result result;
    result.problems.push_back(
        {field_problem::severity::error, "",
         "cannot read config file " + path + ": check the path and its permissions"});
    return result;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_config(buf.str(), env, rules);
}

} // namespace fleet
