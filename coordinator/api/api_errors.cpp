#include "coordinator/api/api_errors.hpp"

#include <caf/sec.hpp>

namespace fleet {

namespace {

struct mapping {
  int status;
  const char* code;
};

mapping map(ec code) {
  switch (code) {
  case ec::invalid_argument:
  case ec::parse_error:
    return {400, "invalid_argument"};
  case ec::unauthenticated:
    return {401, "unauthenticated"};
  case ec::not_found:
    return {404, "not_found"};
  case ec::conflict:
    return {409, "conflict"};
  case ec::no_server_available:
    return {503, "no_server_available"};
  case ec::store_unavailable:
    return {503, "store_unavailable"};
  case ec::panel_timeout:
    return {504, "panel_timeout"};
  case ec::panel_error:
  case ec::panel_unreachable:
  case ec::panel_unavailable:
  case ec::panel_bad_response:
    return {502, "panel_error"};
  case ec::none:
  case ec::io_error:
  case ec::internal:
    break;
  }
  return {500, "internal"};
}

} // namespace

api_error api_error_of(int status, const std::string& code, const std::string& message,
                       nlohmann::json details) {
  return {status,
          {{"error", {{"code", code}, {"message", message}, {"details", std::move(details)}}}}};
}

api_error to_api_error(const caf::error& err, nlohmann::json details) {
  if (err.category() == caf::atom("fleet")) {
    auto m = map(code_of(err));
    if (auto carried = details_of(err); !carried.empty() && details.empty()) {
      auto parsed = nlohmann::json::parse(carried, nullptr, false);
      if (parsed.is_object())
        details = std::move(parsed);
    }
    return api_error_of(m.status, m.code, message_of(err), std::move(details));
  }
  if (err == caf::sec::request_timeout)
    return api_error_of(504, "panel_timeout",
                        "the coordinator did not finish the request in time; it may still "
                        "complete, so read the state before retrying",
                        std::move(details));
  return api_error_of(500, "internal", "internal error: " + caf::to_string(err),
                      std::move(details));
}

} // namespace fleet
