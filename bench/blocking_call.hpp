#pragma once

// One HTTP request over a benchmark's own engine, waited for: control APIs, metrics and
// health pages read between the timed runs.

#include "common/panel/http_engine.hpp"

#include <future>
#include <string>
#include <utility>
#include <vector>

namespace fleet::bench {

/// Sends `method url` on `session` with `body` (JSON when not empty) and `headers`, and
/// waits for the answer. Call it from a thread that is not the engine's.
inline http_response blocking_call(http_engine& engine, http_engine::session_id session,
                                   const std::string& method, const std::string& url,
                                   std::string body = {}, std::vector<std::string> headers = {}) {
  http_request req;
  req.method = method;
  req.url = url;
  req.body = std::move(body);
  req.headers = std::move(headers);
  if (!req.body.empty())
    req.headers.emplace_back("Content-Type: application/json");
  std::promise<http_response> answer;
  auto f = answer.get_future();
  engine.submit(session, std::move(req),
                [&answer](http_response r) { answer.set_value(std::move(r)); });
  return f.get();
}

} // namespace fleet::bench
