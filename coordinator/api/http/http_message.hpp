#pragma once

// One HTTP request as the API's route handlers see it, and the answer they give. Plain data:
// the server fills requests in and writes answers out.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fleet {

using server_fields = std::vector<std::pair<std::string, std::string>>;

struct server_request {
  std::string method;
  /// The path, percent-decoded (without the query).
  std::string path;
  /// Header names as the client sent them; look them up with `header`.
  server_fields headers;
  /// Query parameters, percent-decoded ('+' is a space), in order.
  server_fields query;
  /// What `{name}` segments of the matched route captured, in order.
  std::vector<std::string> params;
  std::string body;
  /// The peer's IP address as text (e.g. "127.0.0.1", "::1").
  std::string remote_address;

  /// The first header named `name` (case-insensitive), or null.
  [[nodiscard]] const std::string* header(std::string_view name) const;

  /// The first query parameter named `name`, or null.
  [[nodiscard]] const std::string* query_value(std::string_view name) const;
};

struct server_response {
  int status = 200;
  std::string content_type;
  std::string body;
  server_fields headers;
};

/// Produces the chunks of a streamed answer: called with `deliver` whenever the stream wants
/// more, it calls `deliver` once, from any thread and possibly later, with a chunk to send, an
/// empty string for "nothing yet, ask again", or nothing to end the stream.
using chunk_source = std::function<void(std::function<void(std::optional<std::string>)> deliver)>;

/// What a stream sends when nothing else was sent for `after` (e.g. an SSE comment), so
/// clients and proxies see it is alive.
struct stream_idle {
  std::string chunk;
  std::chrono::milliseconds after{15'000};
};

} // namespace fleet
