#pragma once

#include "common/config/config.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace fleet {

/// One configured server that a reload changes, by the names of the fields that differ
/// (never their values: some are secrets).
struct server_update {
  std::string id;
  std::vector<std::string> fields;
  /// Its probe starts again with the new settings (address, credentials, TLS, inbound).
  bool restart_probe = false;
};

/// What a reload changes in a running fleet, decided from the running configuration and the
/// file's: the configuration that runs afterwards (`effective`), what differs, and what
/// differs but only takes effect after a restart (kept at its running value meanwhile).
///
/// Applied in place: servers added, removed and changed (name, address, credentials,
/// enabled, priority, weight, region, max_clients, public_host, client_flow, inbound, TLS),
/// the API tokens and their roles, `coordinator.rate_limit`, and the probe settings of
/// `server_management` (health_check_interval, health_check_timeout, healthy_threshold,
/// unhealthy_threshold, max_retries, retry_delay, max_batch), which restart every local probe.
/// Everything else needs a restart: listeners, data_dir, the agent link and servers behind
/// agents, subscriptions, backups, metrics_auth, log_level and the other `server_management`
/// settings.
struct reload_plan {
  fleet_config effective;
  std::vector<std::string> added;
  std::vector<std::string> removed;
  std::vector<server_update> changed;
  /// The probe settings of `server_management` changed: every local probe starts again.
  bool probe_settings_changed = false;
  /// Field names of `server_management` that changed and are applied.
  std::vector<std::string> management_changed;
  /// API tokens: how many entries were added, removed, or changed role or name.
  int64_t tokens_added = 0;
  int64_t tokens_removed = 0;
  int64_t tokens_changed = 0;
  bool rate_limit_changed = false;
  /// Fields that differ in the file but keep their running value until a restart, each
  /// "field: why".
  std::vector<std::string> restart_required;

  /// Whether nothing is applied (the file is the running configuration, or differs only in
  /// what needs a restart).
  [[nodiscard]] bool applies_nothing() const;

  /// What is applied and what is not, without secrets: `{servers: {added, removed,
  /// changed: [{id, fields}]}, server_management: [...], api_tokens: {added, removed,
  /// changed}, rate_limit, restart_required: [...]}`.
  [[nodiscard]] nlohmann::json summary() const;
};

/// Compares the running configuration with the one read from the file (valid) and decides
/// what a reload applies. Plain; the coordinator refuses the plan when it removes a server
/// that still holds clients.
[[nodiscard]] reload_plan plan_reload(const fleet_config& running, const fleet_config& next);

} // namespace fleet
