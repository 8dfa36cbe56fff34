#include "common/panel/classify.hpp"

#include <curl/curl.h>

#include <algorithm>

namespace fleet {

namespace {

/// The first bytes of a body for messages, with control characters replaced.
std::string preview(const std::string& body) {
  auto text = body.substr(0, 40);
  std::replace_if(
      text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }, ' ');
  return body.size() > 40 ? text + "..." : text;
}

bool contains(const std::string& text, const char* needle) {
  return text.find(needle) != std::string::npos;
}

} // namespace

std::string clean_panel_message(std::string msg) {
  msg.erase(std::remove(msg.begin(), msg.end(), '\n'), msg.end());
  return msg;
}

caf::expected<nlohmann::json> classify(const http_response& r, const std::string& what) {
  if (r.transport_code != 0) {
    if (r.transport_code == CURLE_OPERATION_TIMEDOUT)
      return make_error(ec::panel_timeout,
                        what + ": the panel did not answer in time (" + r.transport_error + ")");
    return make_error(ec::panel_unreachable,
                      what + ": cannot reach the panel (" + r.transport_error + ")");
  }
  if ((r.status == 404 || r.status == 401 || r.status == 403) && r.body.empty())
    return make_error(ec::unauthenticated,
                      what + ": the panel answered HTTP " + std::to_string(r.status)
                          + " with an empty body (no valid session, CSRF token or API token; "
                            "also check base_path)");
  if (r.status >= 500)
    return make_error(ec::panel_unavailable,
                      what + ": the panel answered HTTP " + std::to_string(r.status));
  if (r.status != 200)
    return make_error(ec::panel_bad_response,
                      what + ": unexpected HTTP " + std::to_string(r.status));
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  if (!doc.is_object() || !doc.contains("success") || !doc["success"].is_boolean())
    return make_error(ec::panel_bad_response, what
                                                  + ": the panel's answer is not a 3X-UI "
                                                    "envelope: \""
                                                  + preview(r.body) + "\"");
  if (doc["success"].get<bool>())
    return doc.value("obj", nlohmann::json{});
  // `msg` is text on every 3X-UI version; anything else says nothing.
  auto text = doc.find("msg");
  auto msg = clean_panel_message(text != doc.end() && text->is_string() ? text->get<std::string>()
                                                                        : std::string{});
  auto code = ec::panel_error;
  if (contains(msg, "Duplicate email") || contains(msg, "already in use")
      || contains(msg, "Duplicate subId"))
    code = ec::conflict;
  else if (contains(msg, "record not found") || contains(msg, "not found")
           || contains(msg, "Not Found"))
    code = ec::not_found;
  else if (contains(msg, "Invalid username or password"))
    code = ec::unauthenticated;
  return make_error(code, what + ": the panel refused: " + msg);
}

bool is_retryable(const caf::error& err) {
  switch (code_of(err)) {
  case ec::panel_timeout:
  case ec::panel_unreachable:
  case ec::panel_unavailable:
  case ec::panel_bad_response:
    return true;
  default:
    return false;
  }
}

bool is_panel_fault(const caf::error& err) {
  return is_retryable(err) || code_of(err) == ec::panel_error;
}

} // namespace fleet
