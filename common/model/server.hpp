#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace fleet {

/// How the coordinator reaches a panel's web server.
enum class panel_scheme { http, https };

/// TLS settings towards one panel (extension of the original format).
struct panel_tls {
  /// PEM file with the CA that signed the panel's certificate; empty = system CAs.
  std::string ca_file;
  /// libcurl pin "sha256//<base64>" of the panel's public key; empty = no pin.
  std::string pinned_pubkey;
  /// Skips certificate verification; only accepted together with `pinned_pubkey`.
  bool insecure_skip_verify = false;
};

/// Static facts about one 3X-UI panel, as configured in `xui_servers[]`. Field names are the
/// original format's, extensions follow design.md §4. Holds secrets: never log or serialise
/// `password`, `api_token` or `two_factor_secret`.
struct server_config {
  /// Unique id: the original format's integer, or a string of letters, digits, '-' and '_'.
  std::string id;
  std::string name;
  std::string host;
  uint16_t port = 0;
  std::string username;
  std::string password;
  bool enabled = true;
  /// A larger number is preferred by the priority strategy and `min_priority`.
  int64_t priority = 0;
  /// Capacity used to compute load; 0 means unlimited (load stays 0).
  int64_t max_clients = 0;
  std::string region;

  // -- extensions ---------------------------------------------------------------------------

  /// The panel's `webBasePath`, always starting and ending with '/'.
  std::string base_path = "/";
  panel_scheme scheme = panel_scheme::http;
  /// Bearer API token (3X-UI v3.0+); when set, no login and no CSRF are needed.
  std::string api_token;
  /// Base32 TOTP secret of a panel with two-factor authentication on (3X-UI v2.6+); when
  /// set, every login sends the current code as `twoFactorCode`.
  std::string two_factor_secret;
  /// Inbound that receives new clients; absent = the first enabled vless/vmess/trojan one.
  std::optional<int64_t> inbound_id;
  panel_tls tls;
  /// Id of the agent that probes this panel; empty = the coordinator probes it.
  std::string agent;
  /// Relative share for the weighted strategies (round_robin, random); 1..1000.
  int64_t weight = 1;
  /// The address users connect to, as written in subscription links; empty = `host`.
  std::string public_host;
  /// `flow` of the vless clients placed here (e.g. "xtls-rprx-vision" for REALITY or TLS over
  /// raw TCP); empty = none.
  std::string client_flow;

  /// `public_host`, or `host` when it is not set.
  [[nodiscard]] const std::string& user_host() const noexcept {
    return public_host.empty() ? host : public_host;
  }
};

/// Whether `prober` probes `s`: the coordinator (`prober` empty) probes the servers without an
/// agent; an agent (its id) those without one or with its own id.
[[nodiscard]] bool probed_by(const server_config& s, const std::string& prober);

/// Returns "http" or "https".
[[nodiscard]] const char* to_string(panel_scheme scheme);

/// Returns the name of the environment variable that overrides `field` of server `id`:
/// `XUI_SERVER_<ID>_<FIELD>` with the id upper-cased and every other character than letters
/// and digits turned into '_' (e.g. "de-1", "PASSWORD" -> "XUI_SERVER_DE_1_PASSWORD").
[[nodiscard]] std::string server_env_name(const std::string& id, const char* field);

} // namespace fleet
