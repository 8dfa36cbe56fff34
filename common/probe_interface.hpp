#pragma once

// What a probe answers: the requests the coordinator sends to the probe of a panel (local,
// or inside an agent across the link), their message types and the typed interface that
// checks them at compile time. Part of the wire contract: `protocol.hpp` includes it,
// `add_protocol_types` registers its types and `protocol_version` covers it.

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace fleet {

// -- atoms ---------------------------------------------------------------------------------

/// Coordinator -> probe: add a client (`client_order`); replies with the inbound id.
using place_atom = caf::atom_constant<caf::atom("place")>;
constexpr place_atom place_atom_v{};

/// Coordinator -> probe: is a client with this email on the panel? Replies with its inbound
/// id, or 0 when it is not there.
using verify_atom = caf::atom_constant<caf::atom("verify")>;
constexpr verify_atom verify_atom_v{};

/// Coordinator -> probe: change a client on the panel (`client_order`); replies with its
/// inbound id, or `not_found`.
using amend_atom = caf::atom_constant<caf::atom("amend")>;
constexpr amend_atom amend_atom_v{};

/// Coordinator -> probe: delete a client by email; replies with whether it was there. With a
/// list of emails: deletes those the panel holds, reading its inbounds once; replies with how
/// many were there.
using remove_atom = caf::atom_constant<caf::atom("remove")>;
constexpr remove_atom remove_atom_v{};

/// Coordinator -> probe: traffic of a client by email (`client_usage`), or `not_found`.
using usage_atom = caf::atom_constant<caf::atom("usage")>;
constexpr usage_atom usage_atom_v{};

/// Coordinator -> probe: every client on the panel (`std::vector<panel_entry>`).
using inventory_atom = caf::atom_constant<caf::atom("inventory")>;
constexpr inventory_atom inventory_atom_v{};

// -- messages -------------------------------------------------------------------------------

/// A client the coordinator asks a probe to add to its panel.
struct client_order {
  std::string email;
  std::string uuid;
  std::string sub_id;
  int64_t total_bytes = 0;
  int64_t expiry_time_ms = 0;
  bool enable = true;
  /// The `flow` of a vless client (e.g. "xtls-rprx-vision"); empty for none.
  std::string flow;
  /// Connections from this many source addresses at most (`limitIp`); 0 = no limit.
  int64_t limit_ip = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, client_order& x) {
  return f(caf::meta::type_name("client_order"), x.email, x.uuid, x.sub_id, x.total_bytes,
           x.expiry_time_ms, x.enable, x.flow, x.limit_ip);
}

/// Traffic and limits of one client as its panel reports them.
struct client_usage {
  int64_t inbound_id = 0;
  bool enable = true;
  int64_t up = 0;
  int64_t down = 0;
  int64_t total_bytes = 0;
  int64_t expiry_time_ms = 0;
  int64_t last_online_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, client_usage& x) {
  return f(caf::meta::type_name("client_usage"), x.inbound_id, x.enable, x.up, x.down,
           x.total_bytes, x.expiry_time_ms, x.last_online_ms);
}

/// One client found on a panel, as the reconciler compares it with the fleet's records.
struct panel_entry {
  std::string email;
  int64_t inbound_id = 0;
  /// The protocol key (uuid, or the password of a trojan client).
  std::string key;
  bool enable = true;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, panel_entry& x) {
  return f(caf::meta::type_name("panel_entry"), x.email, x.inbound_id, x.key, x.enable);
}

// -- interface ------------------------------------------------------------------------------

/// The probe of one panel, as the coordinator (or a test) talks to it. Every request runs on
/// the panel and fails with the classified error when the panel cannot be used; failures of
/// the network kind are also counted and reported as `(health_atom, operations_report)`.
using probe_actor
    = caf::typed_actor<caf::replies_to<place_atom, client_order>::with<int64_t>,
                       caf::replies_to<verify_atom, std::string>::with<int64_t>,
                       caf::replies_to<amend_atom, client_order>::with<int64_t>,
                       caf::replies_to<remove_atom, std::string>::with<bool>,
                       caf::replies_to<remove_atom, std::vector<std::string>>::with<int64_t>,
                       caf::replies_to<usage_atom, std::string>::with<client_usage>,
                       caf::replies_to<inventory_atom>::with<std::vector<panel_entry>>>;

} // namespace fleet
