#include "coordinator/api/api_context.hpp"

#include "coordinator/coordinator_messages.hpp"

#include <charconv>

namespace fleet {

caf::scoped_actor& api_context::caller() {
  std::lock_guard<std::mutex> guard{callers_mtx};
  auto& slot = callers[std::this_thread::get_id()];
  if (!slot)
    slot = std::make_unique<caf::scoped_actor>(*system);
  return *slot;
}

void api_context::drop_callers() {
  std::lock_guard<std::mutex> guard{callers_mtx};
  callers.clear();
}

void reply_selection_error(api_context& ctx, httplib::Response& res, const caf::error& err,
                           const selection_criteria& criteria) {
  if (err.category() != caf::atom("fleet") || code_of(err) != ec::no_server_available)
    return reply_error(res, to_api_error(err));
  auto why = ask<no_server_diagnosis>(ctx, diagnose_atom_v, criteria);
  if (!why)
    return reply_error(res, to_api_error(err));
  reply_error(res, to_api_error(err, {{"reason", why->reason}, {"counts", why->counts}}));
}

void reply_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void reply_error(httplib::Response& res, const api_error& err) {
  reply_json(res, err.status, err.body);
}

std::optional<nlohmann::json> json_body(const httplib::Request& req, httplib::Response& res) {
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    reply_error(res, api_error_of(400, "invalid_argument",
                                  "the request body is not valid JSON; send a JSON object"));
    return std::nullopt;
  }
  if (!body.is_object()) {
    reply_error(res, api_error_of(400, "invalid_argument",
                                  "the request body must be a JSON object, got "
                                      + std::string{body.type_name()}));
    return std::nullopt;
  }
  return body;
}

bool refuse_problems(httplib::Response& res, const field_problems& problems) {
  std::string message;
  auto fields = nlohmann::json::array();
  for (const auto& p : problems) {
    if (p.level != field_problem::severity::error)
      continue;
    message += (message.empty() ? "" : "; ") + p.to_string();
    fields.push_back({{"field", p.field}, {"reason", p.reason}});
  }
  if (message.empty())
    return false;
  reply_error(res, api_error_of(400, "invalid_argument", message, {{"fields", fields}}));
  return true;
}

std::optional<uint64_t> whole_number(const std::string& text, uint64_t max) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value > max)
    return std::nullopt;
  return value;
}

std::optional<uint64_t> query_number(const httplib::Request& req, httplib::Response& res,
                                     const char* name, uint64_t fallback, uint64_t max) {
  if (!req.has_param(name))
    return fallback;
  auto text = req.get_param_value(name);
  auto value = whole_number(text, max);
  if (!value) {
    reply_error(res, api_error_of(400, "invalid_argument",
                                  std::string{name} + ": expected a whole number from 0 to "
                                      + std::to_string(max) + ", got \"" + text + "\""));
    return std::nullopt;
  }
  return value;
}

} // namespace fleet
