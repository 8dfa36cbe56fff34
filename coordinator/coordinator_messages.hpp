#pragma once

// Message types that only travel inside the coordinator process (between its HTTP API and
// the coordinator actor). They are never serialised, so CAF may pass them as they are.

#include "common/model/criteria.hpp"
#include "common/model/health.hpp"
#include "common/protocol.hpp"
#include "coordinator/agents/agent_registry.hpp"
#include "coordinator/drift/drift.hpp"
#include "coordinator/evacuation/evacuation_board.hpp"
#include "coordinator/ledger/renewal_plan.hpp"
#include "coordinator/metrics/fleet_metrics.hpp"
#include "coordinator/registry/health_history.hpp"
#include "coordinator/selector/selection_engine.hpp"
#include "coordinator/store/records.hpp"
#include "coordinator/subscription/share_link.hpp"

#include <caf/allowed_unsafe_message_type.hpp>

#include <optional>
#include <vector>

namespace fleet {

/// A request to create a client somewhere in the fleet (the API's `POST /api/v1/clients`).
/// Empty fields get defaults: email "u<user_id>", a fresh UUID v4 and sub_id.
struct create_request {
  std::string user_id;
  std::string email;
  std::string uuid;
  std::string sub_id;
  double total_gb = 0.0;
  int64_t expiry_time_ms = 0;
  int64_t limit_ip = 0;
  /// Pins the server; otherwise `criteria` select it.
  std::string server_id;
  selection_criteria criteria;
  /// With a key, a retry with the same body gets the first answer again and creates
  /// nothing; the same key with another body is a conflict.
  std::string idempotency_key;
  std::string body_digest;
};

/// Which recorded clients to list (the API's `GET /api/v1/clients`).
struct client_filter {
  std::string user_id;
  std::string server_id;
  /// Only emails after this one (the paging cursor).
  std::string after;
  size_t limit = 100;
};

/// New limits for a client (the API's `PATCH /api/v1/clients/{email}`); unset = unchanged.
struct client_patch {
  std::string email;
  std::optional<double> total_gb;
  std::optional<int64_t> expiry_time_ms;
  std::optional<int64_t> limit_ip;
  std::optional<bool> enable;
};

/// A client's usage over the whole fleet, from the traffic ledger.
struct client_account {
  fleet_usage usage;
  /// What is left of the quota; empty when it is unlimited.
  std::optional<int64_t> remaining_bytes;
};

/// Whose hourly usage to read: a client's (by email) or a server's (by id), over
/// [from_ms, to_ms).
struct usage_query {
  bool of_server = false;
  std::string owner;
  int64_t from_ms = 0;
  int64_t to_ms = 0;
};

/// A recorded client with what its panel says about it now.
struct client_view {
  client_record record;
  /// Usage over the fleet.
  client_account account;
  /// Traffic from the panel; empty when the panel could not be asked (see `usage_error`).
  std::optional<client_usage> usage;
  std::string usage_error;
  server_state server = server_state::unknown;
};

/// What the subscription of one `sub_id` lists now, for the subscription endpoint to render.
struct subscription_answer {
  /// A client has this `sub_id`.
  bool found = false;
  subscriber who;
  /// The links to render; they point into `profiles`, which the answer keeps alive.
  std::vector<subscription_entry> entries;
  std::vector<std::shared_ptr<const link_profile>> profiles;
  int64_t upload = 0;
  int64_t download = 0;
  /// Bytes allowed in total; 0 = unlimited.
  int64_t total_bytes = 0;
  /// Unix seconds; 0 = never.
  int64_t expire_s = 0;
  /// Why nothing can be listed although the client exists (its server cannot be reached and
  /// it has not moved yet, or its inbound is not known yet).
  std::string nothing_because;
};

// Atoms of requests that only the coordinator process sends to its coordinator actor.

/// `(update_atom, client_patch)` -> `client_record`.
using update_atom = caf::atom_constant<caf::atom("update")>;
constexpr update_atom update_atom_v{};

/// `(renew_atom, renewal)` -> `client_view` (without the panel's traffic).
using renew_atom = caf::atom_constant<caf::atom("renew")>;
constexpr renew_atom renew_atom_v{};

/// `(user_atom, user_id)` -> the `std::vector<client_view>` of a bot user's clients (without
/// the panels' traffic); empty when the user has none.
using user_atom = caf::atom_constant<caf::atom("user")>;
constexpr user_atom user_atom_v{};

/// `(hours_atom, usage_query)` -> `std::vector<usage_bucket>`.
using hours_atom = caf::atom_constant<caf::atom("hours")>;
constexpr hours_atom hours_atom_v{};

/// `(delete_atom, email)` -> `bool` (true).
using delete_atom = caf::atom_constant<caf::atom("delete")>;
constexpr delete_atom delete_atom_v{};

/// `(get_atom, email)` -> `client_view`; `(get_atom, client_filter)` -> clients.
using get_atom = caf::atom_constant<caf::atom("get")>;
constexpr get_atom get_atom_v{};

/// `(admin_atom, server_id, admin_state)` -> `server_health`.
using admin_atom = caf::atom_constant<caf::atom("admin")>;
constexpr admin_atom admin_atom_v{};

/// `(probe_atom, id, get_atom)` -> the probe (`probe_actor`) of server `id`.
using probe_atom = caf::atom_constant<caf::atom("probe")>;
constexpr probe_atom probe_atom_v{};

/// `(agents_atom)` -> `std::vector<agent_status>`.
using agents_atom = caf::atom_constant<caf::atom("agents")>;
constexpr agents_atom agents_atom_v{};

/// `(servers_atom)` -> `std::vector<server_view>`.
using servers_atom = caf::atom_constant<caf::atom("servers")>;
constexpr servers_atom servers_atom_v{};

/// `(metrics_atom)` -> the Prometheus text of the coordinator's metrics.
using metrics_atom = caf::atom_constant<caf::atom("metrics")>;
constexpr metrics_atom metrics_atom_v{};

/// `(drift_atom)` -> the last `drift_report` of every server.
using drift_atom = caf::atom_constant<caf::atom("drift")>;
constexpr drift_atom drift_atom_v{};

/// `(reconcile_atom)`: reconcile every healthy server; `(reconcile_atom, server_id)`: that one.
using reconcile_atom = caf::atom_constant<caf::atom("reconcile")>;
constexpr reconcile_atom reconcile_atom_v{};

/// `(subscription_atom, sub_id)` -> `subscription_answer`.
using subscription_atom = caf::atom_constant<caf::atom("sub")>;
constexpr subscription_atom subscription_atom_v{};

/// `(evacuate_atom)`: review the fleet and run the next wave of moves;
/// `(evacuate_atom, server_id)`: the operator evacuates a server now (-> `evacuation_status`);
/// `(evacuate_atom, server_id, get_atom)` -> its `evacuation_status`.
using evacuate_atom = caf::atom_constant<caf::atom("evacuate")>;
constexpr evacuate_atom evacuate_atom_v{};

/// `(history_atom, server_id)` -> the `std::vector<health_sample>` of its checks over the
/// last 24 h; `not_found` for a server the fleet does not have.
using history_atom = caf::atom_constant<caf::atom("history")>;
constexpr history_atom history_atom_v{};

} // namespace fleet

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<fleet::health_sample>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<fleet::agent_status>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::selection_criteria)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::selection)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<fleet::server_health>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::create_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::client_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<fleet::client_record>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::client_filter)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::client_patch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::client_view)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<fleet::client_view>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::renewal)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::usage_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<fleet::usage_bucket>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::server_health)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::admin_state)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<fleet::drift_report>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<fleet::server_view>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::evacuation_status)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::subscription_answer)
