#pragma once

#include "common/cli_flags.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fleet {

/// Command line of fleet-agent.
struct agent_options : common_flags {
  /// Announce another protocol version (compatibility tests of the refusal).
  std::optional<uint32_t> speak_protocol;
};

/// Parses `args` (without the program name). Unknown flags and missing values are errors
/// that name the flag.
[[nodiscard]] caf::expected<agent_options>
parse_agent_options(const std::vector<std::string>& args);

/// Returns the usage text.
[[nodiscard]] std::string agent_usage();

} // namespace fleet
