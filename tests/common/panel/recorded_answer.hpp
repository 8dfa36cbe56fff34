#pragma once

// Recorded panel answers (tests/fixtures/xui/<generation>/<name>.json): the HTTP status and
// the body of one answer, written from the reference (3x-ui-api.md). `body` holds a JSON
// answer, `raw_body` any other body (the empty ones of auth failures).

#include "common/panel/classify.hpp"
#include "common/panel/http_engine.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>
#include <string>

#ifndef FLEET_XUI_FIXTURE_DIR
#error "FLEET_XUI_FIXTURE_DIR must name tests/fixtures/xui"
#endif

namespace fleet::test {

/// Loads the answer recorded as `name` ("classic/status"); throws when it is missing.
inline http_response recorded(const std::string& name) {
  auto path = std::string{FLEET_XUI_FIXTURE_DIR} + "/" + name + ".json";
  std::ifstream in{path};
  if (!in)
    throw std::runtime_error("no recorded answer " + path);
  auto doc = nlohmann::json::parse(in);
  http_response r;
  r.status = doc.at("status").get<long>();
  r.body = doc.contains("raw_body") ? doc["raw_body"].get<std::string>() : doc.at("body").dump();
  r.content_type = "application/json; charset=utf-8";
  return r;
}

/// The envelope's `obj` of a recorded answer, or the error `classify` makes of it.
inline caf::expected<nlohmann::json> recorded_obj(const std::string& name,
                                                  const std::string& what = "test") {
  return classify(recorded(name), what);
}

} // namespace fleet::test
