#pragma once

#include "common/panel/xui_api.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace fleet {

/// The inbounds of a successful `inbounds/list` answer, read from its body without building
/// a JSON tree: what every health check reads, a few hundred kilobytes for a panel of a
/// thousand clients. Both generations' shapes (settings as a JSON string or an object).
///
/// Gives exactly what `classify` and then `parse_inbounds` give for the same body. Gives
/// `std::nullopt` for any other answer (`success: false`, garbled, not a list) and for the
/// rare forms it leaves undecided (see `json_cursor`; also a float where an integer field
/// is read, or settings text that is not one JSON object): the caller then takes that
/// general path, which also names the problem. Thread-safe (no state).
[[nodiscard]] std::optional<std::vector<panel_inbound>> read_inbound_list(std::string_view body);

} // namespace fleet
