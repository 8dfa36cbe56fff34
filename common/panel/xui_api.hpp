#pragma once

// The 3X-UI wire model both API generations share: what a panel reports (status, inbounds,
// clients, traffic), the one conversion of a client order into a panel's client object, and
// the parsers of the answer shapes that are the same in both generations. What differs per
// generation (routes, request bodies) lives in the adapters (xui_adapter.hpp).

#include "common/error.hpp"
#include "common/protocol.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace fleet {

/// The two incompatible 3X-UI API generations (3x-ui-api.md §0.1).
enum class api_generation {
  unknown,
  /// v1.5 … v3.0.2: `/panel/api/inbounds/addClient` etc., settings as JSON strings.
  classic,
  /// v3.1+: `/panel/api/clients/*`, settings as objects.
  gen2,
};

[[nodiscard]] const char* to_string(api_generation g);

/// What `server/status` says about the panel.
struct panel_status {
  /// running, stop or error.
  std::string xray_state;
  std::string xray_error;
  std::string xray_version;
  /// Present from v3.1 on; empty on classic panels.
  std::string panel_version;
  api_generation generation = api_generation::unknown;
  double cpu = 0.0;
  int64_t tcp_count = 0;
};

/// One client as stored in an inbound, with its traffic when the panel reported it.
struct panel_client_info {
  std::string email;
  /// Protocol key: uuid (vless/vmess), password (trojan), email (shadowsocks), auth (hysteria).
  std::string key;
  std::string uuid;
  std::string sub_id;
  bool enable = true;
  /// Quota in bytes; 0 = unlimited.
  int64_t total_bytes = 0;
  /// Unix ms; 0 = never; negative = that many ms after first use.
  int64_t expiry_time = 0;
  int64_t up = 0;
  int64_t down = 0;
  int64_t last_online = 0;

  /// Enabled, not expired at `now_ms`, not over quota.
  [[nodiscard]] bool active(int64_t now_ms) const noexcept;
};

/// One inbound and its clients.
struct panel_inbound {
  int64_t id = 0;
  std::string remark;
  std::string protocol;
  int64_t port = 0;
  bool enable = true;
  int64_t up = 0;
  int64_t down = 0;
  std::vector<panel_client_info> clients;
  std::string listen;
  /// The Xray `settings` without `clients`, and `streamSettings`, as JSON text ("{}" when the
  /// panel sent none or something unreadable).
  std::string settings;
  std::string stream_settings;
};

/// Identifies an existing client on a panel.
struct client_ref {
  int64_t inbound_id = 0;
  std::string email;
  /// The protocol key (see `panel_client_info::key`).
  std::string key;
};

/// Returns the name of the protocol key field: "id", "password", "email" or "auth".
[[nodiscard]] std::string protocol_key_field(const std::string& protocol);

/// The one conversion of a client order into the client object of `addClient`,
/// `updateClient`, `clients/add` and `clients/update` for an inbound of `protocol`.
/// `order.uuid` is the client's protocol key: the `id` of vless/vmess clients, the
/// `password` of trojan and the `auth` of hysteria clients (shadowsocks clients are keyed by
/// their email).
[[nodiscard]] nlohmann::json client_json(const client_order& order, const std::string& protocol);

// Parsers of `obj` values whose shape both generations share; malformed shapes become
// `panel_bad_response`.

/// `server/status`; the generation is gen2 when the answer names a `panelVersion`.
[[nodiscard]] caf::expected<panel_status> parse_status(const nlohmann::json& obj);

/// `inbounds/list`, with `settings` given as a JSON string or as an object.
[[nodiscard]] caf::expected<std::vector<panel_inbound>> parse_inbounds(const nlohmann::json& obj);

/// One `ClientTraffic`; `null` (the panel has no such client) is `not_found`.
[[nodiscard]] caf::expected<client_usage> parse_traffic(const nlohmann::json& obj);

/// A list of emails (`onlines`); `null`, which classic panels send right after an Xray
/// restart, is an empty list.
[[nodiscard]] caf::expected<std::vector<std::string>> parse_emails(const nlohmann::json& obj);

} // namespace fleet
