#pragma once

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/make_message.hpp>

#include <cstdint>
#include <string>

namespace fleet {

/// Error codes of the whole product. Every failure that crosses a function or actor boundary
/// is a `caf::error` with one of these codes and a message a person can act on.
enum class ec : uint8_t {
  /// Not an error.
  none = 0,
  /// A request or config value is malformed or out of range; the message names the field.
  invalid_argument,
  /// The named server, client or resource does not exist.
  not_found,
  /// The request conflicts with existing state (email taken, idempotency key reused).
  conflict,
  /// No server is eligible for a placement; the message says why.
  no_server_available,
  /// A panel refused a request (`success: false`) or failed after retries.
  panel_error,
  /// A panel did not answer in time.
  panel_timeout,
  /// A panel could not be reached (connection refused, reset, DNS, TLS).
  panel_unreachable,
  /// A panel answered with a server error (HTTP 5xx); may pass.
  panel_unavailable,
  /// A panel answered something that is not its API (not JSON, wrong shape).
  panel_bad_response,
  /// Credentials were missing or rejected.
  unauthenticated,
  /// Text that should have been JSON (or another format) could not be parsed.
  parse_error,
  /// Reading or writing a file or the store failed.
  io_error,
  /// The state store cannot write now (disk full, read-only or failing file system); the
  /// message says why. Nothing was changed; writes resume by themselves once it can write.
  store_unavailable,
  /// An invariant broke; a bug.
  internal,
};

/// Returns the snake_case name of `code`, as used in API error bodies.
std::string to_string(ec code);

/// Creates an error with `code` and a human-readable `message`.
caf::error make_error(ec code, std::string message);

/// Creates an error with `code`, a human-readable `message` and `details`: the text of a JSON
/// object that API answers carry as their `details` (e.g. why no server is available).
caf::error make_error(ec code, std::string message, std::string details);

/// The details of an error made with them, or "" for every other error.
[[nodiscard]] std::string details_of(const caf::error& err);

/// Returns the human-readable message of an error made by `make_error`, or CAF's rendering
/// for any other error.
std::string message_of(const caf::error& err);

/// Whether `err` was made by `make_error` (here or in another fleet process).
[[nodiscard]] bool is_fleet_error(const caf::error& err);

/// Returns the product error code of `err`, or `ec::internal` for errors of other categories.
ec code_of(const caf::error& err);

} // namespace fleet

CAF_ERROR_CODE_ENUM(fleet::ec, "fleet")
