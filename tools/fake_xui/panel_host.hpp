#pragma once

#include "common/clock.hpp"
#include "tools/fake_xui/fake_panel.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace httplib {
struct Request;
struct Response;
} // namespace httplib

namespace fleet::fake {

/// How one emulated panel is set up.
struct panel_options {
  std::string name;
  /// The panel's webBasePath, "/" or "/x/".
  std::string base_path = "/";
  uint16_t port = 0;
  api_profile profile = api_profile::classic;
  std::string username = "admin";
  std::string password = "admin";
  /// Bearer API tokens (ignored by the classic profile, which has none).
  std::vector<std::string> api_tokens;
  /// Base32 TOTP secret: two-factor authentication on (v2.6+). Logins must then carry the
  /// current code as `twoFactorCode` (the current step only, as gotp checks it) and are
  /// refused like a wrong password otherwise.
  std::string two_factor_secret;
  /// The panel's clock for TOTP codes (tests skew it).
  std::function<std::chrono::system_clock::time_point()> clock = [] { return wall_now(); };
  /// Session cookie name: "3x-ui" (v2.3.8+) or "session" (older).
  std::string cookie_name = "3x-ui";
  int64_t session_max_age_s = 21'600;
  /// PEM certificate and key: serve HTTPS (all panels sharing the port share the TLS setup).
  std::string tls_cert;
  std::string tls_key;
  uint64_t seed = 1;
  /// The inbounds the panel starts with: "default" (vless on 443 and trojan on 8443, tcp
  /// without TLS) or "showcase" (`fake_panel::seed_showcase`).
  std::string inbounds = "default";
  /// Port of the panel's own subscription listener (3x-ui's sub server, plain HTTP; 0 = a
  /// free port); no listener when unset.
  std::optional<uint16_t> sub_port;
  /// The subscription domain links advertise (3x-ui's `subDomain`); "" = the request's host
  /// without port.
  std::string sub_host;
  /// The subscription title sent as `Profile-Title`; "" = none.
  std::string sub_title;
  /// How long every request below the base path takes, as a panel that far away would
  /// answer: each request waits on its own, concurrent requests wait side by side.
  std::chrono::milliseconds latency{0};
  /// `addClient` without a lock, as v2.x/v3.0 panels run it (3x-ui-api.md §5.3 rule 6): the
  /// call reads the inbound's clients, waits half the latency (the rest before it reads),
  /// and writes the list it read plus its own clients back, so concurrent adds to one
  /// inbound lose all but the last writer's clients (their traffic rows stay).
  bool no_lock = false;
};

/// Fault modes switchable at run time (the `down` mode is handled by the server, which stops
/// listening on the panel's port).
struct fault_mode {
  /// none, down, hang, slow, http500, garbage, fail_mutations, xray_stopped.
  std::string mode = "none";
  /// Delay of `slow`, milliseconds.
  int64_t delay_ms = 0;
};

/// One emulated 3X-UI panel behind HTTP: authentication (cookie sessions, CSRF, Bearer
/// tokens), the routes of its profile with the reference's envelope and status codes, fault
/// modes and per-route request counters. Thread-safe: requests of the server's worker
/// threads are serialised on one mutex (the latency and sleeping faults wait outside it, and
/// so does a `no_lock` addClient between its read and its write).
class panel_host {
public:
  explicit panel_host(panel_options options);

  [[nodiscard]] const panel_options& options() const noexcept { return options_; }

  /// Records the port the server bound for this panel.
  void bind_port(uint16_t port) { options_.port = port; }

  /// Records the port the server bound for this panel's subscription listener.
  void bind_sub_port(uint16_t port) { options_.sub_port = port; }

  /// Handles a request whose path lies below the base path; `rel` is the rest of the path.
  void handle(const httplib::Request& req, httplib::Response& res, const std::string& rel);

  /// Handles a request to the panel's subscription listener: `GET`/`HEAD /sub/{subId}` as
  /// 3x-ui's sub server answers it (subscription-formats.md §2.1). Fault modes do not apply.
  void handle_subscription(const httplib::Request& req, httplib::Response& res);

  // -- control --------------------------------------------------------------------------------

  void set_fault(fault_mode fault);
  [[nodiscard]] fault_mode fault() const;
  /// Invalidates every session (what a panel restart with a new secret does).
  void expire_sessions();
  void wipe();
  bool add_traffic(const std::string& email, int64_t up, int64_t down);
  /// Sets a client's counters to zero, as the panel's resetClientTraffic does.
  bool reset_traffic(const std::string& email);
  void set_online(std::vector<std::string> emails);
  [[nodiscard]] ojson counters() const;
  [[nodiscard]] ojson summary() const;
  /// Emails of all clients on the panel, per inbound.
  [[nodiscard]] ojson clients() const;
  /// Adds an inbound from `{protocol, port, remark?, listen?, enable?, settings?,
  /// streamSettings?, sniffing?}`; the three settings as objects or as JSON text. Returns an
  /// error text, or "" with the new inbound's id in `id`.
  [[nodiscard]] std::string add_inbound(const nlohmann::json& body, int64_t& id);

private:
  struct session {
    bool logged_in = false;
    std::string csrf;
    int64_t expires_ms = 0;
  };

  enum class auth_result { ok, unauthenticated, csrf_missing };

  void count(const std::string& key);
  [[nodiscard]] std::string cookie_of(const httplib::Request& req) const;
  [[nodiscard]] auth_result authenticate(const httplib::Request& req, bool needs_csrf);
  [[nodiscard]] bool two_factor_ok(const std::string& code) const;
  std::string new_session(session s);
  void set_cookie(httplib::Response& res, const std::string& value, int64_t max_age) const;

  /// The success text of `addClient` (and of gen2's `clients/add`).
  static constexpr const char* classic_add_done = "Inbound client(s) have been added.";

  /// Authenticates an API request; replies (403, 404 or 401) and returns false when refused.
  bool admitted(const httplib::Request& req, httplib::Response& res);
  [[nodiscard]] bool is_classic_add(const httplib::Request& req, const std::string& rel) const;
  /// The read half of the classic `addClient` route: fills `write` (with a copy of the
  /// inbound's clients when `snapshot`), or replies the error and returns false.
  bool read_classic_add(const httplib::Request& req, httplib::Response& res,
                        fake_panel::client_write& write, bool snapshot = false);
  /// `addClient` in `no_lock` mode: reads under `lock`, waits half the latency without it,
  /// then writes back what it read plus its clients.
  void add_without_lock(const httplib::Request& req, httplib::Response& res,
                        std::unique_lock<std::mutex>& lock);
  void route(const httplib::Request& req, httplib::Response& res, const std::string& rel);
  bool route_auth(const httplib::Request& req, httplib::Response& res, const std::string& rel);
  bool route_server(const httplib::Request& req, httplib::Response& res,
                    const std::vector<std::string>& parts);
  bool route_inbounds(const httplib::Request& req, httplib::Response& res,
                      const std::vector<std::string>& parts);
  bool route_classic_clients(const httplib::Request& req, httplib::Response& res,
                             const std::vector<std::string>& parts);
  bool route_gen2_clients(const httplib::Request& req, httplib::Response& res,
                          const std::vector<std::string>& parts);
  bool route_sub_links(const httplib::Request& req, httplib::Response& res,
                       const std::vector<std::string>& parts);

  panel_options options_;
  mutable std::mutex mtx_;
  fake_panel panel_;
  fault_mode fault_;
  std::map<std::string, session> sessions_;
  std::map<std::string, int64_t> counters_;
  uint64_t session_counter_ = 0;
};

} // namespace fleet::fake
