#pragma once

#include <ostream>
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

/// Prints every problem of a loaded document, one line each: "error: FILE: field: reason".
inline void print_problems(std::ostream& out, const std::string& file,
                           const field_problems& problems) {
  for (const auto& p : problems)
    out << (p.level == field_problem::severity::error ? "error: " : "warning: ") << file << ": "
        << p.to_string() << '\n';
}

} // namespace fleet
