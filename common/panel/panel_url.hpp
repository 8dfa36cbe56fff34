#pragma once

#include "common/model/server.hpp"

#include <string>

namespace fleet {

/// Returns `host` as it goes into a URL: IPv6 literals in brackets ("::1" and "[::1]" both
/// become "[::1]", a zone "fe80::1%eth0" becomes "[fe80::1%25eth0]"), names and IPv4
/// addresses unchanged.
[[nodiscard]] std::string url_host(const std::string& host);

/// Returns "scheme://host:port/base/" of a server, with `url_host` applied to its host.
[[nodiscard]] std::string panel_base_url(const server_config& s);

/// Percent-encodes `text` for URL paths and form bodies.
[[nodiscard]] std::string url_encode(const std::string& text);

} // namespace fleet
