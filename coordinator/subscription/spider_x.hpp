#pragma once

#include <string>
#include <string_view>

namespace fleet {

/// The REALITY `spx` of one client's links, as 3X-UI v3.5+ derives it: `/` and the first 15
/// lower-case hex digits of SHA-256(`seed` + "|" + `client_key`), where `seed` is the
/// inbound's `spiderX` and `client_key` the client's subscription id (else its e-mail). Stable
/// across fetches. Where the panel picks a random path (both inputs empty), the same formula
/// is used, so the result is still stable.
[[nodiscard]] std::string derive_spider_x(std::string_view seed, std::string_view client_key);

} // namespace fleet
