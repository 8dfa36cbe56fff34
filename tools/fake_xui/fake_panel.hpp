#pragma once

#include "common/clock.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace fleet::fake {

using ojson = nlohmann::ordered_json;

/// Which 3X-UI release an emulated panel behaves like (docs: 3x-ui-api.md §0.1).
enum class api_profile {
  /// v2.9.4: classic client routes, cookie login, no CSRF, no API tokens.
  classic,
  /// v3.0.2: classic client routes, CSRF on cookie sessions, Bearer API tokens.
  classic_csrf,
  /// v3.1+: `/panel/api/clients/*`, settings as objects, CSRF and Bearer tokens.
  gen2,
};

/// Returns the profile named `name` ("classic", "classic-csrf", "gen2").
[[nodiscard]] std::optional<api_profile> parse_profile(const std::string& name);

/// One row of `client_traffics`.
struct client_traffic {
  int64_t id = 0;
  int64_t inbound_id = 0;
  bool enable = true;
  std::string email;
  int64_t up = 0;
  int64_t down = 0;
  int64_t expiry_time = 0;
  int64_t total = 0;
  int64_t reset = 0;
  int64_t last_online = 0;
};

/// One inbound; `settings` holds the parsed Xray settings including `clients`.
struct inbound {
  int64_t id = 0;
  std::string remark;
  std::string listen;
  int64_t port = 0;
  std::string protocol;
  bool enable = true;
  int64_t up = 0;
  int64_t down = 0;
  int64_t total = 0;
  int64_t expiry_time = 0;
  nlohmann::json settings;
  std::string stream_settings;
  std::string sniffing;
};

/// The clients of `in` (an empty array when it has none).
[[nodiscard]] const nlohmann::json& clients_in(const inbound& in);

/// The clients of `in`, an empty array created when it has none.
[[nodiscard]] nlohmann::json& clients_of(inbound& in);

/// A new inbound as the panel's "add inbound" takes it; `settings` may hold clients.
struct inbound_spec {
  std::string remark;
  std::string listen;
  int64_t port = 0;
  std::string protocol;
  bool enable = true;
  /// Objects; `sniffing` may be null (the panel's default sniffing then).
  nlohmann::json settings = nlohmann::json::object();
  nlohmann::json stream_settings = nlohmann::json::object();
  nlohmann::json sniffing;
};

/// The data and business rules of one emulated panel: inbounds, clients and their traffic,
/// following the rules of 3x-ui-api.md §5.3 (classic) and §6.3 (gen2). Errors are returned as
/// the panel's error text (ending in "\n" where the panel's does); an empty string means
/// success. Not thread-safe: the server serialises access. `wall` (which must outlive the
/// panel) dates clients and decides when they expire.
class fake_panel {
public:
  explicit fake_panel(api_profile profile, uint64_t seed = 1, const clock& wall = real_clock());

  [[nodiscard]] api_profile profile() const noexcept { return profile_; }

  /// Adds the seed inbounds: vless on 443 and trojan on 8443, each with one client whose
  /// email starts with `prefix`.
  void seed(const std::string& prefix);

  /// Adds instead a realistic set as 3x-ui v2.x/v3 stores it: vless REALITY tcp (the first
  /// vless inbound, clients with flow xtls-rprx-vision), vless TLS ws, trojan TLS grpc,
  /// vmess ws without TLS, shadowsocks 2022 multi-user and vless TLS xhttp. Each has one
  /// client whose email starts with `prefix`; all of them share one subscription id. Keys,
  /// short ids and credentials come from the panel's random source.
  void seed_showcase(const std::string& prefix);

  /// Adds an inbound with its clients (and their traffic rows). Checks the protocol, the port
  /// (1..65535, not used by another inbound) and the clients (key field, emails unique across
  /// the panel). Returns an error text, or "" with the new id in `*new_id`.
  [[nodiscard]] std::string add_inbound(inbound_spec spec, int64_t* new_id = nullptr);

  // -- inbounds -------------------------------------------------------------------------------

  [[nodiscard]] const std::vector<inbound>& inbounds() const noexcept { return inbounds_; }
  [[nodiscard]] const inbound* find_inbound(int64_t id) const;
  [[nodiscard]] ojson inbound_json(const inbound& in, bool with_stats) const;
  [[nodiscard]] ojson traffic_json(const client_traffic& t) const;
  /// The same for a known client entry (`client` may be null).
  [[nodiscard]] ojson traffic_json(const client_traffic& t, const nlohmann::json* client) const;

  // -- clients, classic rules -----------------------------------------------------------------

  /// `addClient`: several clients at once; duplicate check first, then the inbound.
  [[nodiscard]] std::string add_clients(int64_t inbound_id, nlohmann::json clients);

  /// What one `addClient` writes: its new clients and, when it read the inbound's clients
  /// to write them back whole (as v2.x/v3.0 panels do without a lock), what it read.
  struct client_write {
    int64_t inbound_id = 0;
    nlohmann::json added = nlohmann::json::array();
    std::optional<nlohmann::json> read;
  };

  /// The read half of `addClient`: runs its checks on the current state and fills `out` with
  /// what the call will write (with `snapshot`, a copy of the inbound's clients too). Returns
  /// the error text, or "".
  [[nodiscard]] std::string read_add_clients(int64_t inbound_id, nlohmann::json clients,
                                             client_write& out, bool snapshot = false) const;

  /// The write half of `addClient`: appends `write.added` to the inbound's clients, or with a
  /// snapshot replaces them with `write.read` plus `write.added` (so a write planned from an
  /// older read drops what other calls added since: last writer wins), and adds the traffic
  /// rows of `write.added`.
  void write_clients(const client_write& write);

  /// `updateClient/:clientId`: replaces the client whose protocol key is `client_id`.
  [[nodiscard]] std::string update_client(int64_t inbound_id, const std::string& client_id,
                                          nlohmann::json client);

  /// `:id/delClient/:clientId` (by protocol key) or `delClientByEmail` (`by_email`).
  [[nodiscard]] std::string delete_client(int64_t inbound_id, const std::string& key,
                                          bool by_email);

  // -- clients, gen2 rules --------------------------------------------------------------------

  [[nodiscard]] std::string add_client_gen2(nlohmann::json client,
                                            const std::vector<int64_t>& inbound_ids);
  [[nodiscard]] std::string update_client_gen2(const std::string& email, nlohmann::json client);
  [[nodiscard]] std::string delete_client_gen2(const std::string& email);
  [[nodiscard]] ojson client_record_gen2(const std::string& email) const;
  [[nodiscard]] ojson client_list_gen2() const;

  // -- traffic --------------------------------------------------------------------------------

  [[nodiscard]] const client_traffic* find_traffic(const std::string& email) const;
  [[nodiscard]] std::vector<const client_traffic*> traffic_by_uuid(const std::string& uuid) const;
  [[nodiscard]] std::string reset_traffic(const std::string& email);

  /// Adds bytes to a client and its inbound and marks it online now, then runs
  /// `disable_invalid_clients` as the panel's traffic job does; false for unknown emails.
  bool add_traffic(const std::string& email, int64_t up, int64_t down);

  /// The end of the panel's traffic job (3x-ui `disableInvalidClients`): every enabled client
  /// over its quota (`total > 0 && up + down >= total`) or past its expiry (`expiryTime > 0 &&
  /// expiryTime <= now`) gets `enable=false` in its traffic row and in its inbound's
  /// settings. Traffic is kept. An update enables the client again in both places (it writes
  /// `enable` from the request); a traffic reset only in its row, as on 3x-ui. Returns how
  /// many clients it disabled.
  size_t disable_invalid_clients();

  /// Sets the online list (what the traffic poll would report).
  void set_online(std::vector<std::string> emails);
  [[nodiscard]] const std::optional<std::vector<std::string>>& online() const { return online_; }
  [[nodiscard]] ojson last_online_json() const;

  /// Removes every client from every inbound and every traffic row.
  void wipe();

  /// Number of clients over all inbounds.
  [[nodiscard]] size_t client_count() const;

  /// Returns a fresh random UUID v4.
  [[nodiscard]] std::string new_uuid();

  /// The panel's random source: credentials, keys and the REALITY choices of share links.
  [[nodiscard]] std::mt19937_64& rng() noexcept { return rng_; }

private:
  inbound* find_inbound_mut(int64_t id);
  [[nodiscard]] std::string key_field(const inbound& in) const;
  [[nodiscard]] bool email_taken(const std::string& email, const std::string& except = "") const;
  void add_traffic_row(const inbound& in, const nlohmann::json& client);
  void erase_traffic(const std::string& email);
  [[nodiscard]] std::string random_text(size_t n);
  /// A seeded client without its protocol's credentials.
  [[nodiscard]] nlohmann::json seed_client(const std::string& email,
                                           const std::string& sub_id) const;
  [[nodiscard]] int64_t now_ms() const { return clock_->wall_ms(); }

  api_profile profile_;
  const clock* clock_;
  std::mt19937_64 rng_;
  std::vector<inbound> inbounds_;
  std::map<std::string, client_traffic> traffic_;
  int64_t next_inbound_id_ = 1;
  int64_t next_traffic_id_ = 1;
  std::optional<std::vector<std::string>> online_;
};

/// Lower-cases ASCII letters.
[[nodiscard]] std::string lower(std::string text);

} // namespace fleet::fake
