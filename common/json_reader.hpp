#pragma once

#include "common/duration.hpp"
#include "common/field_problem.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace fleet {

/// Reads typed fields out of one JSON object and records a `field_problem` for every field
/// that is missing (when required), of the wrong type or out of range. A field that fails
/// leaves its target unchanged, so defaults survive and reading goes on: one pass reports
/// every problem of a document.
///
/// Not thread-safe; lives for the duration of one parse.
class json_reader {
public:
  /// Reads from `object`, whose location is `path` (e.g. "server_management"), and appends
  /// problems to `problems`. A non-object `object` is reported once.
  json_reader(const nlohmann::json& object, std::string path, field_problems& problems);

  /// Returns whether the underlying value is a JSON object.
  [[nodiscard]] bool valid() const noexcept { return valid_; }

  /// Returns whether `key` is present and not null.
  [[nodiscard]] bool has(const char* key) const;

  /// Returns the path of `key` below this object, e.g. "xui_servers[0].port".
  [[nodiscard]] std::string path_of(const char* key) const;

  void string(const char* key, std::string& out, bool required = false);
  void boolean(const char* key, bool& out, bool required = false);
  void integer(const char* key, int64_t& out, int64_t min, int64_t max, bool required = false);
  void integer(const char* key, std::optional<int64_t>& out, int64_t min, int64_t max);
  void number(const char* key, double& out, double min, double max, bool required = false);
  void number(const char* key, std::optional<double>& out, double min, double max);
  void duration(const char* key, millis& out, bool required = false);
  void strings(const char* key, std::vector<std::string>& out);

  /// Reads an identifier written as a JSON string or a non-negative integer (ids of the
  /// original format are integers) into its canonical string form.
  void id(const char* key, std::string& out, bool required = false);

  /// Records a warning for every key of the object that is not in `keys` (likely a typo).
  void warn_unknown(std::initializer_list<const char*> keys);

  /// Records an error for `key` with `reason`.
  void fail(const char* key, std::string reason);

private:
  const nlohmann::json* find(const char* key, bool required);
  void wrong_type(const char* key, const char* expected, const nlohmann::json& got);

  const nlohmann::json& object_;
  std::string path_;
  field_problems& problems_;
  bool valid_;
};

/// Returns a short name of the JSON type of `value` for error messages ("string", "array").
[[nodiscard]] std::string json_type_name(const nlohmann::json& value);

/// Converts a JSON string or non-negative integer into an identifier string; returns
/// `std::nullopt` for any other value.
[[nodiscard]] std::optional<std::string> id_from_json(const nlohmann::json& value);

/// Writes an identifier back: digit-only identifiers (the original format's integer ids)
/// become JSON integers, everything else stays a string. Round-trips `id_from_json`.
[[nodiscard]] nlohmann::json id_to_json(const std::string& id);

} // namespace fleet
