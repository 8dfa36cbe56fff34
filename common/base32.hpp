#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace fleet {

/// Decodes RFC 4648 base32 (A-Z, 2-7), as TOTP secrets are written: letters of either case,
/// spaces and dashes between groups, and trailing '=' padding are accepted. Returns
/// `std::nullopt` for any other character, for padding in the middle, or when nothing is left.
[[nodiscard]] std::optional<std::vector<uint8_t>> decode_base32(std::string_view text);

} // namespace fleet
