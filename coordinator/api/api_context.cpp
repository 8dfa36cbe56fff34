#include "coordinator/api/api_context.hpp"

#include <charconv>
#include <future>

namespace fleet {

std::shared_ptr<const std::map<std::string, server_config>> api_context::servers() const {
  std::lock_guard<std::mutex> guard{servers_mtx_};
  return servers_;
}

void api_context::set_servers(const std::vector<server_config>& configured) {
  auto next = std::make_shared<std::map<std::string, server_config>>();
  for (const auto& s : configured)
    (*next)[s.id] = s;
  std::lock_guard<std::mutex> guard{servers_mtx_};
  servers_ = std::move(next);
  ++generation_;
}

void reply_json(const responder& reply, int status, const nlohmann::json& body) {
  reply({status, "application/json", body.dump(), {}});
}

void reply_error(const responder& reply, const api_error& err) {
  reply(error_response(err));
}

server_response error_response(const api_error& err, server_fields headers) {
  return {err.status, "application/json", err.body.dump(), std::move(headers)};
}

std::optional<nlohmann::json> json_body(const server_request& req, const responder& reply) {
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    reply_error(reply, api_error_of(400, "invalid_argument",
                                    "the request body is not valid JSON; send a JSON object"));
    return std::nullopt;
  }
  if (!body.is_object()) {
    reply_error(reply, api_error_of(400, "invalid_argument",
                                    "the request body must be a JSON object, got "
                                        + std::string{body.type_name()}));
    return std::nullopt;
  }
  return body;
}

bool refuse_problems(const responder& reply, const field_problems& problems) {
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
  reply_error(reply, api_error_of(400, "invalid_argument", message, {{"fields", fields}}));
  return true;
}

std::optional<uint64_t> whole_number(const std::string& text, uint64_t max) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value > max)
    return std::nullopt;
  return value;
}

std::optional<uint64_t> query_number(const server_request& req, const responder& reply,
                                     const char* name, uint64_t fallback, uint64_t max) {
  const auto* text = req.query_value(name);
  if (text == nullptr)
    return fallback;
  auto value = whole_number(*text, max);
  if (!value) {
    reply_error(reply, api_error_of(400, "invalid_argument",
                                    std::string{name} + ": expected a whole number from 0 to "
                                        + std::to_string(max) + ", got \"" + *text + "\""));
    return std::nullopt;
  }
  return value;
}

std::string query_text(const server_request& req, const char* name) {
  const auto* text = req.query_value(name);
  return text != nullptr ? *text : std::string{};
}

void stop_serving(api_context& ctx, std::unique_ptr<http_server>& http) {
  for (size_t i = 0; i < ctx.loop_actors.size(); ++i) {
    std::promise<void> done;
    http->post(i, [&] {
      ctx.loop_actors[i]->disconnect();
      done.set_value();
    });
    done.get_future().wait();
  }
  http->stop();
  ctx.loop_actors.clear();
  http.reset();
}

} // namespace fleet
