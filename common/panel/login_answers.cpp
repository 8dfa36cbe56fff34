#include "common/panel/login_answers.hpp"

#include "common/panel/classify.hpp"

namespace fleet {

std::string read_csrf_token(const http_response& response) {
  if (response.transport_code != 0 || response.status != 200)
    return {};
  auto doc = nlohmann::json::parse(response.body, nullptr, false);
  if (!doc.is_object())
    return {};
  auto obj = doc.find("obj");
  return obj != doc.end() && obj->is_string() ? obj->get<std::string>() : std::string{};
}

login_answer read_login(const http_response& response) {
  auto result = classify(response, "log in");
  if (result)
    return {};
  login_answer answer;
  answer.refused = code_of(result.error()) == ec::unauthenticated && !response.body.empty();
  answer.error = std::move(result.error());
  return answer;
}

bool reads_two_factor_on(const http_response& response) {
  auto enabled = classify(response, "log in");
  return enabled && enabled->is_boolean() && enabled->get<bool>();
}

} // namespace fleet
