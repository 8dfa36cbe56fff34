#include "common/base32.hpp"
#include "common/config/config.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_map>

namespace fleet {

namespace {

using severity = field_problem::severity;

bool valid_id(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
           || c == '_';
  });
}

bool readable(const std::string& path) {
  std::ifstream in{path};
  return in.good();
}

/// Checks "host:port" and returns why it is wrong, or an empty string.
std::string address_problem(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return "\"" + address + "\" is not host:port, e.g. \"127.0.0.1:8080\"";
  auto port = address.substr(colon + 1);
  if (port.empty() || port.size() > 5
      || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })
      || std::stoi(port) > 65535)
    return "port of \"" + address + "\" must be a number 0..65535";
  return {};
}

/// Whether `host` is an IPv6 literal, optionally with a zone ("fe80::1%eth0").
bool ipv6_literal(const std::string& host) {
  auto address = host.substr(0, host.find('%'));
  in6_addr out{};
  return inet_pton(AF_INET6, address.c_str(), &out) == 1;
}

class validator {
public:
  validator(const fleet_config& config, const config_rules& rules, field_problems& problems)
      : config_(config), rules_(rules), problems_(problems) {
    // nop
  }

  void run() {
    check_servers();
    check_management();
    if (rules_.program == config_rules::reader::coordinator)
      check_coordinator();
    else
      check_agent();
    if (static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error", "off"};
        levels.count(config_.log_level) == 0)
      error("log_level",
            "\"" + config_.log_level + "\" is not one of trace, debug, info, warn, error, off");
  }

private:
  void error(std::string field, std::string reason) {
    problems_.push_back({severity::error, std::move(field), std::move(reason)});
  }

  void warning(std::string field, std::string reason) {
    problems_.push_back({severity::warning, std::move(field), std::move(reason)});
  }

  void check_servers() {
    if (config_.servers.empty()) {
      if (!has_errors(problems_))
        error("xui_servers", "empty; list at least one panel");
      return;
    }
    std::unordered_map<std::string, size_t> ids;
    std::unordered_map<std::string, std::string> env_names;
    size_t enabled = 0;
    for (size_t i = 0; i < config_.servers.size(); ++i) {
      const auto& s = config_.servers[i];
      auto path = "xui_servers[" + std::to_string(i) + "]";
      enabled += s.enabled ? 1 : 0;
      check_server(s, path);
      if (s.id.empty())
        continue;
      if (auto [it, added] = ids.emplace(s.id, i); !added) {
        error(path + ".id", "duplicate id " + s.id + " (also used by xui_servers["
                                + std::to_string(it->second) + "])");
        continue;
      }
      auto env = server_env_name(s.id, "PASSWORD");
      if (auto [it, added] = env_names.emplace(env, s.id); !added)
        warning(path + ".id", "ids " + it->second + " and " + s.id + " share the variable " + env);
    }
    if (enabled == 0)
      warning("xui_servers", "no server is enabled, so nothing can be selected");
  }

  void check_server(const server_config& s, const std::string& path) {
    if (!s.id.empty() && !valid_id(s.id))
      error(path + ".id",
            "\"" + s.id + "\" must be 1..64 letters, digits, '-' or '_' (or an integer)");
    if (!s.host.empty()
        && (s.host.find("://") != std::string::npos
            || s.host.find_first_of("/ ?#") != std::string::npos))
      error(path + ".host", "\"" + s.host
                                + "\" must be a bare host name or address; put the scheme in "
                                  "\"scheme\" and the path in \"base_path\"");
    else if (s.host.find_first_of(":[]") != std::string::npos && !ipv6_literal(s.host))
      error(path + ".host", "\"" + s.host
                                + "\" is neither a host name nor an IPv4 or IPv6 address; put "
                                  "the port in \"port\"");
    if (s.public_host.find("://") != std::string::npos
        || s.public_host.find_first_of("/ ?#") != std::string::npos
        || (s.public_host.find_first_of(":[]") != std::string::npos
            && !ipv6_literal(s.public_host)))
      error(path + ".public_host", "\"" + s.public_host
                                       + "\" must be a bare host name or address that users "
                                         "connect to, without scheme, port or path");
    if (!s.client_flow.empty() && s.client_flow != "xtls-rprx-vision"
        && s.client_flow != "xtls-rprx-vision-udp443")
      error(path + ".client_flow", "\"" + s.client_flow
                                       + "\" is not xtls-rprx-vision or "
                                         "xtls-rprx-vision-udp443 (or empty for none)");
    if (!s.agent.empty() && !valid_id(s.agent))
      error(path + ".agent",
            "\"" + s.agent + "\" must be 1..64 letters, digits, '-' or '_' (an agent's id)");
    if (rules_.program == config_rules::reader::coordinator && !s.agent.empty()
        && config_.coordinator.agent_listen.empty())
      error(path + ".agent", "agent " + s.agent
                                 + " probes this server, so coordinator.agent_listen must be set "
                                   "for agents to connect");
    if (!s.agent.empty() && probed_here(s)) {
      if (s.host.empty())
        error(path + ".host", "missing; agent " + s.agent + " needs it to reach the panel");
      if (s.port == 0)
        error(path + ".port", "missing; agent " + s.agent + " needs it to reach the panel");
    }
    if (s.api_token.empty() && probed_here(s)) {
      auto env_hint = " (or set " + server_env_name(s.id, "PASSWORD") + "), or configure api_token";
      if (s.username.empty())
        error(path + ".username", "missing; needed to log in when no api_token is set");
      if (s.password.empty())
        error(path + ".password", "missing; set it here" + env_hint);
    }
    check_two_factor(s, path + ".two_factor_secret");
    if (s.base_path.find_first_of(" ?#") != std::string::npos
        || s.base_path.find("//") != std::string::npos)
      error(path + ".base_path", "\"" + s.base_path + "\" is not a URL path like \"/panel/\"");
    check_panel_tls(s, path + ".tls");
  }

  /// The TOTP secret, never quoted: it is a secret.
  void check_two_factor(const server_config& s, const std::string& path) {
    if (s.two_factor_secret.empty())
      return;
    if (!decode_base32(s.two_factor_secret))
      error(path, "is not base32 (letters A-Z and digits 2-7, as the panel shows it when "
                  "two-factor authentication is turned on)");
    else if (!s.api_token.empty())
      warning(path, "not used: with api_token set the panel is not logged in to");
  }

  /// Whether this program probes `s` itself and so needs its credentials.
  bool probed_here(const server_config& s) const {
    return probed_by(s, rules_.program == config_rules::reader::agent ? config_.agent.id : "");
  }

  void check_panel_tls(const server_config& s, const std::string& path) {
    const auto& tls = s.tls;
    auto any = !tls.ca_file.empty() || !tls.pinned_pubkey.empty() || tls.insecure_skip_verify;
    if (any && s.scheme != panel_scheme::https)
      error(path, "TLS settings need \"scheme\": \"https\"");
    if (!tls.ca_file.empty() && !readable(tls.ca_file))
      error(path + ".ca_file", "cannot read " + tls.ca_file);
    if (!tls.pinned_pubkey.empty() && tls.pinned_pubkey.rfind("sha256//", 0) != 0)
      error(path + ".pinned_pubkey", "must look like \"sha256//<base64 of the key's SHA-256>\"");
    if (tls.insecure_skip_verify && tls.pinned_pubkey.empty())
      error(path + ".insecure_skip_verify",
            "refused without pinned_pubkey: skipping verification needs a key pin");
  }

  void check_management() {
    const auto& m = config_.management;
    const auto& names = rules_.strategies;
    if (!names.empty()
        && std::find(names.begin(), names.end(), m.selection_strategy) == names.end()) {
      error("server_management.selection_strategy",
            "unknown strategy \"" + m.selection_strategy + "\"; known: " + join(names));
    }
    if (m.health_check_interval.count() <= 0)
      error("server_management.health_check_interval", "must be positive");
    if (m.health_check_timeout.count() <= 0)
      error("server_management.health_check_timeout", "must be positive");
    else if (m.health_check_timeout >= m.health_check_interval)
      error("server_management.health_check_timeout",
            format_duration(m.health_check_timeout)
                + " must be shorter than health_check_interval ("
                + format_duration(m.health_check_interval) + ")");
    if (m.load_balance_threshold <= 0.0)
      error("server_management.load_balance_threshold",
            "must be above 0, or no server could ever take a client");
    std::set<std::string> regions;
    for (const auto& s : config_.servers)
      regions.insert(s.region);
    for (const auto& [region, fallbacks] : m.region_fallbacks) {
      auto path = "server_management.region_fallbacks." + region;
      if (regions.count(region) == 0)
        warning(path, "no server is in region \"" + region + "\"");
      for (const auto& f : fallbacks)
        if (regions.count(f) == 0)
          warning(path, "no server is in fallback region \"" + f + "\"");
    }
  }

  void check_coordinator() {
    const auto& c = config_.coordinator;
    if (auto why = address_problem(c.listen); !why.empty())
      error("coordinator.listen", why);
    if (!c.agent_listen.empty())
      if (auto why = address_problem(c.agent_listen); !why.empty())
        error("coordinator.agent_listen", why);
    if (!c.subscription_listen.empty()) {
      if (auto why = address_problem(c.subscription_listen); !why.empty())
        error("coordinator.subscription_listen", why);
      else if (c.subscription_listen == c.listen)
        error("coordinator.subscription_listen", "must differ from coordinator.listen");
    }
    if (!c.subscription_base_url.empty() && c.subscription_base_url.rfind("http://", 0) != 0
        && c.subscription_base_url.rfind("https://", 0) != 0)
      error("coordinator.subscription_base_url",
            "\"" + c.subscription_base_url
                + "\" must start with http:// or https://, e.g. https://sub.example.net:2096");
    if (!c.subscription_base_url.empty() && c.subscription_listen.empty())
      warning("coordinator.subscription_base_url",
              "set, but coordinator.subscription_listen is not: the URL will not answer");
    check_api_tokens(c.api_tokens, "coordinator.api_tokens", problems_);
    if (c.data_dir.empty())
      error("coordinator.data_dir", "must not be empty");
    check_backup(c);
    check_notify(c.webhooks, c.alerts, problems_);
    if (!c.agent_listen.empty())
      check_link(c.agent_link, "coordinator.", "agent_plaintext", "agent_heartbeat",
                 "agent_timeout");
  }

  /// `coordinator.backup`: a directory of its own, a sensible period.
  void check_backup(const coordinator_settings& c) {
    const auto& b = c.backup;
    auto section_problem = std::any_of(problems_.begin(), problems_.end(), [](const auto& p) {
      return p.level == severity::error && p.field.rfind("coordinator.backup", 0) == 0;
    });
    if (b.dir.empty() || section_problem)
      return;
    if (b.every < millis{1'000})
      error("coordinator.backup.every",
            format_duration(b.every) + " is too short; back up at most once a second");
    if (c.data_dir.empty())
      return;
    namespace fs = std::filesystem;
    std::error_code ignored;
    auto backups = fs::absolute(b.dir, ignored).lexically_normal();
    auto data = fs::absolute(c.data_dir, ignored).lexically_normal();
    auto inside = [](const fs::path& inner, const fs::path& outer) {
      auto rel = inner.lexically_relative(outer);
      return !rel.empty() && *rel.begin() != "..";
    };
    if (inside(backups, data) || inside(data, backups))
      error("coordinator.backup.dir",
            "\"" + b.dir + "\" overlaps coordinator.data_dir (\"" + c.data_dir
                + "\"); keep backups in a directory of their own, best on another disk");
  }

  void check_agent() {
    const auto& a = config_.agent;
    auto section_missing = std::any_of(problems_.begin(), problems_.end(),
                                       [](const field_problem& p) { return p.field == "agent"; });
    if (section_missing)
      return;
    if (!a.id.empty() && !valid_id(a.id))
      error("agent.id", "\"" + a.id + "\" must be 1..64 letters, digits, '-' or '_'");
    if (!a.coordinator.empty())
      if (auto why = address_problem(a.coordinator); !why.empty())
        error("agent.coordinator", why);
    check_link(a.link, "agent.", "plaintext", "heartbeat", "timeout");
    auto served = std::count_if(config_.servers.begin(), config_.servers.end(),
                                [&](const server_config& s) { return probed_here(s); });
    if (served == 0 && !config_.servers.empty())
      error("xui_servers", "no server is for agent " + a.id
                               + "; list its panels without \"agent\" or with \"agent\": \"" + a.id
                               + "\"");
  }

  /// One end of the coordinator-agent link: mutual TLS material, or plain TCP said out loud.
  void check_link(const link_settings& link, const std::string& prefix, const char* plaintext_key,
                  const char* heartbeat_key, const char* timeout_key) {
    const auto& tls = link.tls;
    auto tls_path = prefix + "tls";
    if (link.plaintext) {
      if (!tls.cert.empty() || !tls.key.empty() || !tls.ca.empty())
        error(prefix + plaintext_key,
              std::string{"contradicts "} + tls_path + "; use TLS or plain TCP, not both");
      else
        warning(prefix + plaintext_key, "agent links are neither encrypted nor authenticated; "
                                        "use this for local testing only");
    } else {
      for (const auto& [name, file] :
           {std::pair{"cert", tls.cert}, std::pair{"key", tls.key}, std::pair{"ca", tls.ca}}) {
        if (file.empty())
          error(tls_path + "." + name,
                std::string{"missing; agent links use mutual TLS (certificate, key and the CA "
                            "of the other end; scripts/make-certs.sh makes them), or set "}
                    + plaintext_key + ": true for local testing");
        else if (!readable(file))
          error(tls_path + "." + name, "cannot read " + file);
      }
    }
    if (link.heartbeat.count() <= 0)
      error(prefix + heartbeat_key, "must be positive");
    else if (link.timeout <= link.heartbeat)
      error(prefix + timeout_key, format_duration(link.timeout) + " must be longer than "
                                      + heartbeat_key + " (" + format_duration(link.heartbeat)
                                      + ")");
  }

  const fleet_config& config_;
  const config_rules& rules_;
  field_problems& problems_;
};

} // namespace

std::optional<host_port> parse_host_port(const std::string& address) {
  if (!address_problem(address).empty())
    return std::nullopt;
  auto colon = address.rfind(':');
  return host_port{address.substr(0, colon), std::stoi(address.substr(colon + 1))};
}

void validate(const fleet_config& config, const config_rules& rules, field_problems& problems) {
  validator{config, rules, problems}.run();
}

} // namespace fleet
