#pragma once

// The wire contract between probes (local or inside agents) and the coordinator: atoms,
// message types and their registration (the probe's requests and its typed interface are in
// `probe_interface.hpp`). Both processes register the same types with the same names through
// `add_protocol_types`.

#include "common/model/health.hpp"
#include "common/probe_interface.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace fleet {

/// Bumped by one on every change to this file; agents refuse to run on a mismatch.
constexpr uint32_t protocol_version = 8;

// -- atoms ---------------------------------------------------------------------------------

/// Probe -> coordinator: `(health_atom, health_report)` after every check, and
/// `(health_atom, operations_report)` when client changes start or stop failing.
using health_atom = caf::atom_constant<caf::atom("health")>;
constexpr health_atom health_atom_v{};

/// Coordinator: choose a server for criteria.
using select_atom = caf::atom_constant<caf::atom("select")>;
constexpr select_atom select_atom_v{};

/// Coordinator: current health of every server.
using fleet_atom = caf::atom_constant<caf::atom("fleet")>;
constexpr fleet_atom fleet_atom_v{};

/// Caller -> coordinator: create a client (`create_request`); replies with its record.
using create_atom = caf::atom_constant<caf::atom("create")>;
constexpr create_atom create_atom_v{};

/// Agent -> coordinator, first on every connection: `(hello_atom, uint32_t protocol_version,
/// std::string agent_id)` -> the coordinator's `uint32_t` protocol version, or an error when
/// the versions differ or the id is unknown. Built-in types only, so that any two versions
/// can read it.
using hello_atom = caf::atom_constant<caf::atom("hello")>;
constexpr hello_atom hello_atom_v{};

/// Agent -> coordinator after `hello_atom`: `(register_atom, agent_id,
/// std::vector<agent_panel>)` -> the ids of the servers the coordinator accepts from it.
using register_atom = caf::atom_constant<caf::atom("register")>;
constexpr register_atom register_atom_v{};

// -- messages -------------------------------------------------------------------------------

/// What a panel showed at a passed check.
struct panel_figures {
  int64_t total_clients = 0;
  /// Enabled, not expired, not over quota.
  int64_t active_clients = 0;
  int64_t online_clients = 0;
  int64_t bytes_transferred = 0;
  std::string xray_state;
  std::string panel_version;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, panel_figures& x) {
  return f(caf::meta::type_name("panel_figures"), x.total_clients, x.active_clients,
           x.online_clients, x.bytes_transferred, x.xray_state, x.panel_version);
}

/// What a subscription needs of one inbound, as a passed check read it: the inbound's own
/// fields and its Xray `settings` (without the client list) and `streamSettings` as JSON
/// text, exactly as the panel stored them.
struct inbound_profile {
  int64_t id = 0;
  std::string protocol;
  std::string listen;
  int64_t port = 0;
  std::string remark;
  bool enable = true;
  /// The inbound's `settings` object without `clients` (e.g. a shadowsocks `method`).
  std::string settings;
  std::string stream_settings;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inbound_profile& x) {
  return f(caf::meta::type_name("inbound_profile"), x.id, x.protocol, x.listen, x.port, x.remark,
           x.enable, x.settings, x.stream_settings);
}

/// What a probe learned about its panel from an active check. Sent on every state change and
/// as a periodic load sample after every completed check.
/// One client's traffic counters and limits as a passed check read them from the inbound
/// list: what the fleet's traffic ledger samples.
struct client_counters {
  std::string email;
  int64_t up = 0;
  int64_t down = 0;
  /// As the panel holds the client now (it may have stopped it itself).
  bool enable = true;
  /// The panel's own `totalGB` (bytes; 0 = unlimited) and `expiryTime` (Unix ms; 0 = never).
  int64_t total_bytes = 0;
  int64_t expiry_time_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, client_counters& x) {
  return f(caf::meta::type_name("client_counters"), x.email, x.up, x.down, x.enable, x.total_bytes,
           x.expiry_time_ms);
}

struct health_report {
  std::string server_id;
  /// The probe's health state machine: unknown, healthy or unhealthy.
  server_state state = server_state::unknown;
  check_verdict verdict = check_verdict::network_failure;
  /// Classified error of the last failed check; never contains secrets.
  std::string last_error;
  bool changed = false;
  int64_t checked_at_ms = 0;
  int64_t response_time_ms = 0;
  int64_t consecutive_failures = 0;
  int64_t error_count = 0;
  /// Share of passed checks over the probe's window, 0..1.
  double availability = 0.0;
  /// What the check read of the panel (all of it when it passed; `xray_state` also when
  /// xray is down).
  panel_figures panel;
  /// The panel's inbounds, when the check passed (empty otherwise).
  std::vector<inbound_profile> inbounds;
  /// Every client's counters, when the check passed (empty otherwise).
  std::vector<client_counters> counters;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, health_report& x) {
  return f(caf::meta::type_name("health_report"), x.server_id, x.state, x.verdict, x.last_error,
           x.changed, x.checked_at_ms, x.response_time_ms, x.consecutive_failures, x.error_count,
           x.availability, x.panel, x.inbounds, x.counters);
}

/// What a probe saw of the client changes (adds, updates, deletes) it ran on its panel: how
/// many failed in a row because the panel failed (`is_panel_fault`: a network-class error, or
/// a refusal that is not about the request; 0 after one worked again). Reads are not counted.
/// Sent on every failure and when a success ends a run of failures; the coordinator decides
/// whether that ejects the server.
struct operations_report {
  std::string server_id;
  int64_t consecutive_failures = 0;
  /// The classified error of the last failure; empty when `consecutive_failures` is 0.
  std::string last_error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, operations_report& x) {
  return f(caf::meta::type_name("operations_report"), x.server_id, x.consecutive_failures,
           x.last_error);
}

/// One panel an agent serves: its server id and the probe (on the agent) that checks it and
/// runs its client operations.
struct agent_panel {
  std::string server_id;
  probe_actor probe;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_panel& x) {
  return f(caf::meta::type_name("agent_panel"), x.server_id, x.probe);
}

/// What agents reach of the coordinator over the network: the agent protocol only. A
/// connected agent can say hello, register its probes and report on its panels; it cannot
/// drive the fleet. Handed on to the coordinator with the agent as the sender.
using gate_actor
    = caf::typed_actor<caf::replies_to<hello_atom, uint32_t, std::string>::with<uint32_t>,
                       caf::replies_to<register_atom, std::string,
                                       std::vector<agent_panel>>::with<std::vector<std::string>>,
                       caf::reacts_to<health_atom, health_report>,
                       caf::reacts_to<health_atom, operations_report>>;

/// Registers every message type of the protocol with `cfg`.
void add_protocol_types(caf::actor_system_config& cfg);

} // namespace fleet
