#pragma once

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/model/server.hpp"
#include "common/panel/http_engine.hpp"
#include "common/panel/xui_api.hpp"
#include "common/protocol.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fleet {

/// How to reach and authenticate against one panel. Holds secrets: never log it.
struct panel_endpoint {
  /// "scheme://host:port/base/" (see `panel_base_url`, which brackets IPv6 literals).
  std::string base_url;
  std::string username;
  std::string password;
  /// Bearer token (v3+); when set, no login and no CSRF.
  std::string api_token;
  /// Decoded TOTP secret of a panel with two-factor authentication on; empty = none. Every
  /// login then sends the current code (see `totp.hpp`).
  std::vector<uint8_t> two_factor_key;
  /// The clock TOTP codes are computed from (tests set it).
  std::function<std::chrono::system_clock::time_point()> clock = [] { return wall_now(); };
  http_tls tls;
  std::chrono::milliseconds timeout{10'000};

  /// Takes the connection facts of a configured server.
  [[nodiscard]] static panel_endpoint from(const server_config& s,
                                           std::chrono::milliseconds timeout);
};

/// Talks to one 3X-UI panel through the shared HTTP engine: logs in (form login, the v3 CSRF
/// flow, or a Bearer token; with a TOTP code when the panel needs one), detects the API
/// generation, runs operations and logs in again, once per call, when the panel has dropped
/// the session. A login refused within a few seconds of a TOTP step boundary is tried once
/// more with the neighbouring step's code (clock skew); a refusal without a configured
/// secret says so when the panel reports two-factor authentication on. Errors never carry
/// credentials or codes.
///
/// Thread-safety: methods may be called from any thread; callbacks run on the engine's I/O
/// thread and must return quickly. Calls are sent one at a time in submission order.
/// Lifecycle: destroying the client drops calls still pending without calling back.
class panel_client {
public:
  template <class T>
  using callback = std::function<void(caf::expected<T>)>;

  panel_client(http_engine& engine, panel_endpoint endpoint);
  ~panel_client();

  panel_client(const panel_client&) = delete;
  panel_client& operator=(const panel_client&) = delete;

  /// Reads `server/status` (and learns the API generation from it, which picks the adapter
  /// every later call goes through).
  void status(callback<panel_status> done);

  /// Reads every inbound with its clients and their traffic.
  void inbounds(callback<std::vector<panel_inbound>> done);

  /// Adds clients to inbound `inbound_id` whose protocol is `protocol`: one HTTP call on
  /// classic panels, one per client on gen2 panels (stopping at the first failure). Each
  /// order's `uuid` is the client's protocol key (see `client_json`).
  void add_clients(int64_t inbound_id, const std::string& protocol,
                   std::vector<client_order> clients, callback<caf::unit_t> done);

  /// Replaces client `ref` with `client` (whose `uuid` is the protocol key to keep or set).
  void update_client(const client_ref& ref, const std::string& protocol, client_order client,
                     callback<caf::unit_t> done);

  /// Deletes client `ref`.
  void delete_client(const client_ref& ref, callback<caf::unit_t> done);

  /// Reads the traffic of `email`; `not_found` when the panel has no such client.
  void client_traffic(const std::string& email, callback<client_usage> done);

  /// Emails of the clients connected right now.
  void online_clients(callback<std::vector<std::string>> done);

  /// The API generation seen so far (unknown before the first call).
  [[nodiscard]] api_generation generation() const;

  /// Logins performed so far (for tests and diagnostics).
  [[nodiscard]] int logins() const;

private:
  struct state;
  std::shared_ptr<state> state_;
};

} // namespace fleet
