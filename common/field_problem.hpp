#pragma once

#include <string>
#include <vector>

namespace fleet {

/// One thing wrong with an input document, located by a field path such as
/// `xui_servers[2].port`. Errors make the document unusable; warnings do not.
struct field_problem {
  enum class severity { error, warning };

  severity level = severity::error;
  std::string field;
  std::string reason;

  /// Renders "field: reason".
  [[nodiscard]] std::string to_string() const {
    return field.empty() ? reason : field + ": " + reason;
  }
};

using field_problems = std::vector<field_problem>;

/// Returns true if `problems` contains at least one error.
[[nodiscard]] bool has_errors(const field_problems& problems);

} // namespace fleet
