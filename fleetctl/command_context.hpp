#pragma once

// What every fleetctl command works with: its command line, the API, the two output streams,
// and the helpers that read options and print answers the same way in every command.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "fleetctl/api_client.hpp"
#include "fleetctl/command_line.hpp"

namespace fleet::ctl {

/// One command being run. Borrows everything; lives for the command only.
struct context {
  const command_line& cmd;
  api_client& api;
  std::ostream& out;
  std::ostream& err;
  bool as_json = false;
};

/// Prints the error of `r` (one line) and returns whether there was one.
bool failed_with(context& c, const reply& r);

/// Prints `what` as a usage problem (one line) and returns the usage exit status.
int usage_problem(context& c, const std::string& what);

/// `object[key]`, or null when `object` is not an object or has no such field.
[[nodiscard]] const nlohmann::json& field_of(const nlohmann::json& object, const char* key);

/// A JSON value as a table cell: strings bare, null as "-", floats with two decimals.
[[nodiscard]] std::string text(const nlohmann::json& v);

/// A byte count for people ("512 B", "1.50 KiB", "10.00 GiB"); anything else as `text`.
[[nodiscard]] std::string human_bytes(const nlohmann::json& v);

/// Prints `body` as JSON with `--json`, else runs `render`. Returns the success status.
int show(context& c, const nlohmann::json& body, const std::function<void()>& render);

/// Prints the scalar fields of `object` as aligned `name  value` lines.
void key_values(context& c, const nlohmann::json& object);

/// The value of `--name` as a number, if given. A value that is not a number is reported
/// (naming the option) and sets `bad`.
std::optional<double> number_option(context& c, const char* name, bool& bad);

/// The same for an amount that cannot be negative.
std::optional<double> amount_option(context& c, const char* name, bool& bad);

/// The same for a count: a whole number, not negative.
std::optional<int64_t> count_option(context& c, const char* name, bool& bad);

} // namespace fleet::ctl
