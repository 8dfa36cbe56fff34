#pragma once

#include "common/error.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace fleet {

/// An error as the API answers it: HTTP status and the contract's body
/// `{"error": {"code", "message", "details"}}`.
struct api_error {
  int status = 500;
  nlohmann::json body;
};

/// Maps an error of the coordinator (or of CAF, such as a request timeout) to the API's code
/// and status; `details` goes into the body as it is.
[[nodiscard]] api_error to_api_error(const caf::error& err,
                                     nlohmann::json details = nlohmann::json::object());

/// An error with an explicit contract code (e.g. "payload_too_large") and message.
[[nodiscard]] api_error api_error_of(int status, const std::string& code,
                                     const std::string& message,
                                     nlohmann::json details = nlohmann::json::object());

} // namespace fleet
