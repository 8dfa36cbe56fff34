#pragma once

#include <string>
#include <vector>

namespace fleet::ctl {

/// Renders rows under a header as aligned columns separated by two spaces.
[[nodiscard]] std::string render_table(const std::vector<std::string>& header,
                                       const std::vector<std::vector<std::string>>& rows);

} // namespace fleet::ctl
