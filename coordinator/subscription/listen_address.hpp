#pragma once

#include <string_view>

namespace fleet {

/// Whether an inbound's `listen` is reachable only from the panel's own host: a unix socket
/// (`@name`, `/path`) or a loopback IP. Such an inbound is usually a fallback behind another
/// one and cannot be advertised itself.
[[nodiscard]] bool listen_is_internal(std::string_view listen);

/// Whether clients anywhere can dial `listen`: a host name or a public IP (not unspecified,
/// loopback, private, carrier-grade NAT, unique-local or link-local).
[[nodiscard]] bool listen_is_public(std::string_view listen);

} // namespace fleet
