#pragma once

// The network layer between the coordinator and its agents: CAF's middleman over mutual TLS
// (or plain TCP when a configuration asks for it), with heartbeats.

#include "common/config/config.hpp"
#include "common/protocol.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <cstdint>
#include <string>

namespace fleet {

/// Loads CAF's network layer into `cfg`: the middleman, the OpenSSL manager with `link.tls`
/// unless `link.plaintext`, and heartbeats every `link.heartbeat` with `link.timeout` as the
/// silence after which a peer counts as gone. Call before the actor system is made.
void configure_link(caf::actor_system_config& cfg, const link_settings& link);

/// How `link` protects its traffic, for logs: "mutual TLS" or a plain-TCP warning.
[[nodiscard]] inline const char* link_kind(const link_settings& link) {
  return link.plaintext ? "PLAIN TCP, for local testing only" : "mutual TLS";
}

/// Checks `link`'s TLS material the way the TLS layer will use it, before anything listens or
/// connects: the certificate, the key and the CA load as PEM and the key belongs to the
/// certificate. The library would otherwise abort the process on the first connection.
[[nodiscard]] caf::error check_link_material(const link_settings& link);

/// Whether this process clears OpenSSL's error queue before each TLS call, so that one failed
/// agent connection cannot make CAF close the others (see tls_error_isolation.cpp).
[[nodiscard]] bool tls_errors_isolated();

/// Offers `gate` to agents on `address` ("host:port"); returns the bound port.
[[nodiscard]] caf::expected<uint16_t> publish_on_link(caf::actor_system& sys,
                                                      const gate_actor& gate,
                                                      const link_settings& link,
                                                      const std::string& address);

/// The middleman actor that makes connections over `link` (TLS or plain).
[[nodiscard]] caf::actor link_connector(caf::actor_system& sys, const link_settings& link);

} // namespace fleet
