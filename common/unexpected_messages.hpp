#pragma once

#include <caf/scheduled_actor.hpp>
#include <caf/type_erased_tuple.hpp>

#include <memory>
#include <string>

namespace spdlog {
class logger;
} // namespace spdlog

namespace fleet {

/// The registered type names of the elements of `xs`, as "(@atom, fleet.health_report)";
/// "???" for a type the system does not know. Reads no element: safe on any content.
[[nodiscard]] std::string type_names_of(const caf::actor_system& sys,
                                        const caf::type_erased_tuple& xs);

/// The handler for messages none of an actor's handlers matches, for actors that receive
/// from the network (`set_default_handler`): it logs on `log` that `component` dropped a
/// message, with its type names and its sender, and answers a request with
/// `sec::unexpected_message`, as CAF's own `print_and_drop` does. Unlike that one it never
/// renders the content: CAF 0.17.6's rendering of some decoded values (a `caf::duration`
/// whose unit is out of range) reads a null pointer, and a peer's message may carry secrets.
[[nodiscard]] caf::scheduled_actor::default_handler
log_and_drop(std::shared_ptr<spdlog::logger> log, std::string component);

} // namespace fleet
