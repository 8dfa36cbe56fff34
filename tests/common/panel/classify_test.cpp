#include "common/panel/classify.hpp"

#include <catch2/catch.hpp>
#include <curl/curl.h>

using namespace fleet;

namespace {

http_response answer(long status, std::string body) {
  http_response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

ec code(const http_response& r) {
  auto result = classify(r, "op");
  return result ? ec::none : code_of(result.error());
}

} // namespace

TEST_CASE("transport failures are classified as timeout or unreachable", "[unit][panel]") {
  http_response timeout;
  timeout.transport_code = CURLE_OPERATION_TIMEDOUT;
  timeout.transport_error = "Operation timed out after 300 milliseconds";
  CHECK(code(timeout) == ec::panel_timeout);
  http_response refused;
  refused.transport_code = CURLE_COULDNT_CONNECT;
  refused.transport_error = "Failed to connect to 127.0.0.1 port 1";
  CHECK(code(refused) == ec::panel_unreachable);
  CHECK_THAT(message_of(classify(refused, "read status").error()),
             Catch::StartsWith("read status: cannot reach the panel (Failed to connect"));
}

TEST_CASE("HTTP statuses are classified", "[unit][panel]") {
  CHECK(code(answer(404, "")) == ec::unauthenticated);
  CHECK(code(answer(401, "")) == ec::unauthenticated);
  CHECK(code(answer(403, "")) == ec::unauthenticated);
  CHECK(code(answer(500, "")) == ec::panel_unavailable);
  CHECK(code(answer(502, "<html>bad gateway</html>")) == ec::panel_unavailable);
  CHECK(code(answer(404, "<html>not found</html>")) == ec::panel_bad_response);
  CHECK(code(answer(307, "")) == ec::panel_bad_response);
}

TEST_CASE("envelopes are classified and keep the panel's message", "[unit][panel]") {
  CHECK(code(answer(200, R"({"success":true,"msg":"","obj":[1]})")) == ec::none);
  CHECK(classify(answer(200, R"({"success":true,"msg":"","obj":[1]})"), "x").value()
        == nlohmann::json::array({1}));
  auto dup = classify(
      answer(
          200,
          R"j({"success":false,"msg":"Something went wrong (Duplicate email: a\n)","obj":null})j"),
      "add clients");
  REQUIRE_FALSE(dup);
  CHECK(code_of(dup.error()) == ec::conflict);
  CHECK(message_of(dup.error())
        == "add clients: the panel refused: Something went wrong (Duplicate email: a)");
  CHECK(
      code(answer(
          200, R"j({"success":false,"msg":"Something went wrong (record not found)","obj":null})j"))
      == ec::not_found);
  CHECK(
      code(answer(
          200,
          R"j({"success":false,"msg":"Invalid username or password or two-factor code.","obj":null})j"))
      == ec::unauthenticated);
  CHECK(code(answer(
            200,
            R"j({"success":false,"msg":"Something went wrong (database is locked)","obj":null})j"))
        == ec::panel_error);
  CHECK(code(answer(200, "{\"success\": tru<html>")) == ec::panel_bad_response);
  CHECK(code(answer(200, "[]")) == ec::panel_bad_response);
}

TEST_CASE("only transient failures are retryable", "[unit][panel]") {
  CHECK(is_retryable(make_error(ec::panel_timeout, "")));
  CHECK(is_retryable(make_error(ec::panel_unreachable, "")));
  CHECK(is_retryable(make_error(ec::panel_unavailable, "")));
  CHECK(is_retryable(make_error(ec::panel_bad_response, "")));
  CHECK_FALSE(is_retryable(make_error(ec::conflict, "")));
  CHECK_FALSE(is_retryable(make_error(ec::panel_error, "")));
  CHECK_FALSE(is_retryable(make_error(ec::unauthenticated, "")));
  CHECK_FALSE(is_retryable(make_error(ec::not_found, "")));
}
