#pragma once

#include "common/config/api_token.hpp"
#include "common/config/notify_settings.hpp"
#include "common/duration.hpp"
#include "common/field_problem.hpp"
#include "common/model/server.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fleet {

/// What placement does when fewer than `panic_threshold` of the enabled servers are healthy.
enum class panic_policy {
  /// Keep placing on the healthy servers that are left (and say so loudly).
  keep_healthy,
  /// Refuse new placements with `no_server_available` until enough servers recover.
  refuse,
};

/// `server_management`: the original settings plus extensions (design.md §4).
struct management_settings {
  std::string selection_strategy = "least_load";
  millis health_check_interval = millis{30'000};
  millis health_check_timeout = millis{10'000};
  int64_t max_retries = 3;
  millis retry_delay = millis{5'000};
  /// Servers at or above this load are not eligible, 0 < x <= 1.
  double load_balance_threshold = 0.8;
  bool auto_failover = true;
  /// When a wanted region has no eligible server: try `region_fallbacks`, then any region.
  bool geographic_routing = true;

  // -- extensions ---------------------------------------------------------------------------

  /// Consecutive successful checks that make an unhealthy server healthy again.
  int64_t healthy_threshold = 2;
  /// Consecutive failed checks that make a healthy server unhealthy.
  int64_t unhealthy_threshold = 3;
  /// Region -> regions to try next, in order.
  std::map<std::string, std::vector<std::string>> region_fallbacks;
  /// Share of enabled servers that must be healthy; below it the fleet is in panic mode.
  double panic_threshold = 0.5;
  panic_policy on_panic = panic_policy::keep_healthy;
  /// Most clients sent to a panel in one call when creates queue up (1 = one per call).
  int64_t max_batch = 100;
  /// Consecutive failed client operations (network class) that take a server out at once,
  /// before the next active check; 0 = off.
  int64_t passive_failure_threshold = 5;
  /// Most servers out by passive ejection at a time, in percent of the fleet (at least one
  /// regardless); over it, a server whose operations fail stays until active checks fail.
  int64_t max_ejection_percent = 30;
  /// How often every healthy panel's clients are compared with the fleet's records (and
  /// after every recovery); 0 = never.
  millis reconcile_interval = millis{300'000};
  /// Re-add clients the fleet has but the panel lost (a wiped or restored panel). Clients
  /// the panel has but the fleet does not are reported, never deleted.
  bool drift_repair = true;
  /// How long a server stays unavailable through failed checks (not drained, not disabled)
  /// before its clients are moved to available servers; 0 = never.
  millis evacuate_after = millis{0};
  /// Most servers whose evacuation starts on its own per `evacuate_after` window, in percent
  /// of the enabled servers (at least one); never in panic mode.
  int64_t max_evacuation_percent = 20;
  /// Most clients moved in one wave, and so at most in one call to one panel.
  int64_t evacuation_batch = 50;
  /// Most panels an evacuation writes to at once.
  int64_t evacuation_parallel_panels = 4;
};

/// TLS material of one end of the coordinator-agent link (PEM files).
struct link_tls {
  /// This end's certificate and private key.
  std::string cert;
  std::string key;
  /// The CA that signed the other end's certificate.
  std::string ca;
};

/// How a coordinator and its agents talk: mutual TLS (plain TCP only when asked for, for
/// local testing) and heartbeats, so that a frozen peer is detected and not only a dead one.
struct link_settings {
  link_tls tls;
  bool plaintext = false;
  /// How often each end sends a heartbeat.
  millis heartbeat{1'000};
  /// Silence after which the other end counts as gone.
  millis timeout{5'000};
};

/// `coordinator.backup`: backups the running daemon takes of its store on a schedule.
struct backup_settings {
  /// Where the backups go (a directory of RocksDB backups, made when missing); empty = no
  /// scheduled backups.
  std::string dir;
  /// How often a backup is taken (at least one second).
  millis every = millis{6LL * 3600 * 1000};
  /// How many backups are kept; older ones are deleted after each backup.
  int64_t keep = 7;
};

/// `coordinator`: how the daemon listens and where it keeps its state.
struct coordinator_settings {
  /// HTTP API address, "host:port".
  std::string listen = "127.0.0.1:8080";
  /// Accepted bearer tokens for `/api/`, each with its role; `FLEET_API_TOKEN` adds one
  /// with full access. Secrets.
  std::vector<api_token> api_tokens;
  std::string data_dir = "data";
  /// Address agents connect to, "host:port"; empty = no agents.
  std::string agent_listen;
  /// The agent link: `tls`, `agent_plaintext`, `agent_heartbeat`, `agent_timeout`.
  link_settings agent_link;
  /// Whether `/metrics` needs a bearer token.
  bool metrics_auth = false;
  /// API requests per second allowed per token (bursts up to one second's worth); above it
  /// the API answers 429. 0 = no limit.
  double rate_limit = 0.0;
  /// Address of the users' subscription endpoint (`GET /sub/{sub_id}`), "host:port"; empty =
  /// off. Not behind the API token.
  std::string subscription_listen;
  /// How users reach that endpoint from outside, e.g. "https://sub.example.net:2096"; the
  /// API's `subscription_url` is this plus "/sub/{sub_id}". Empty = no `subscription_url`.
  std::string subscription_base_url;
  /// Subscription requests per second allowed per source address (bursts up to ten); above
  /// it the endpoint answers 429. 0 = no limit. Many users may share one address behind
  /// carrier-grade NAT, and clients update a few times a day.
  double subscription_rate_limit = 5.0;
  /// `Profile-Title` of subscriptions; empty = none.
  std::string subscription_title = "xui-fleet";
  /// `Profile-Update-Interval` of subscriptions, in hours.
  int64_t subscription_update_hours = 12;
  /// Scheduled backups of the store.
  backup_settings backup;
  /// Receivers of signed event deliveries.
  std::vector<webhook_settings> webhooks;
  /// Built-in alert sinks (Telegram).
  alert_settings alerts;
};

/// `agent`: who a `fleet-agent` is and where its coordinator listens.
struct agent_settings {
  /// The id servers name in the coordinator's configuration (`"agent": "<id>"`).
  std::string id;
  /// The coordinator's `agent_listen` address, "host:port".
  std::string coordinator;
  /// `tls`, `plaintext`, `heartbeat`, `timeout`.
  link_settings link;
};

/// The whole configuration. The original format (`xui_servers`, `server_management`) is a
/// valid configuration on its own; top-level sections of other programs are ignored.
struct fleet_config {
  std::vector<server_config> servers;
  management_settings management;
  coordinator_settings coordinator;
  /// Read by `fleet-agent` only.
  agent_settings agent;
  /// trace, debug, info, warn, error or off.
  std::string log_level = "info";
};

/// Looks up an environment variable; returns `std::nullopt` when it is not set.
using env_lookup = std::function<std::optional<std::string>(const std::string&)>;

/// Returns an `env_lookup` over the process environment.
[[nodiscard]] env_lookup process_env();

/// What a configuration is checked against that lives outside `common/`.
struct config_rules {
  /// Valid values of `selection_strategy` (the selector registry's names).
  std::vector<std::string> strategies;
  /// Which program reads the configuration: the coordinator validates its `coordinator`
  /// section, an agent its `agent` section and the credentials of every panel it serves.
  enum class reader { coordinator, agent };
  reader program = reader::coordinator;
};

/// The outcome of loading a configuration: the config is usable iff `problems` has no error.
struct config_result {
  fleet_config config;
  field_problems problems;
};

/// Parses configuration text, applies environment overrides (`XUI_SERVER_<id>_PASSWORD`,
/// `XUI_SERVER_<id>_API_TOKEN`, `XUI_SERVER_<id>_TOTP_SECRET`, `FLEET_API_TOKEN`) and
/// validates the result. Reports every
/// problem found, each naming its field and the reason.
[[nodiscard]] config_result parse_config(std::string_view text, const env_lookup& env,
                                         const config_rules& rules);

/// Reads `path` and calls `parse_config`; an unreadable file is a problem too.
[[nodiscard]] config_result load_config_file(const std::string& path, const env_lookup& env,
                                             const config_rules& rules);

/// Checks cross-field rules of an already parsed configuration and appends problems.
void validate(const fleet_config& config, const config_rules& rules, field_problems& problems);

/// A listen address, "host:port" with a port from 0 to 65535.
struct host_port {
  std::string host;
  int port = 0;
};

/// Splits `address`; `std::nullopt` when it is not "host:port" with a valid port.
[[nodiscard]] std::optional<host_port> parse_host_port(const std::string& address);

} // namespace fleet
