#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fleet {

/// Every event type the coordinator writes to its event log, sorted.
[[nodiscard]] const std::vector<std::string>& known_event_types();

/// Whether `pattern` selects at least one known event type: a type ("client.created"), a
/// family ("server.*") or everything ("*").
[[nodiscard]] bool valid_event_pattern(std::string_view pattern);

/// Whether event type `type` is selected by `pattern` (same forms as above).
[[nodiscard]] bool event_matches(std::string_view pattern, std::string_view type);

/// Whether `type` is selected by any of `patterns`.
[[nodiscard]] bool event_matches_any(const std::vector<std::string>& patterns,
                                     std::string_view type);

} // namespace fleet
