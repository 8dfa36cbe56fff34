#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace fleet::ctl {

/// What went wrong talking to the coordinator, as one line for a person.
struct failure {
  std::string message;
};

/// An answer: the parsed JSON body, or why there is none.
struct reply {
  int status = 0;
  nlohmann::json body;
  std::optional<failure> error;
};

/// Talks to the coordinator's HTTP API with a bearer token. The token is only ever sent in
/// the Authorization header; it is never printed.
class api_client {
public:
  /// `url` is "http://host:port" or "https://host:port".
  api_client(std::string url, std::string token);
  ~api_client();

  api_client(const api_client&) = delete;
  api_client& operator=(const api_client&) = delete;

  reply get(const std::string& path);
  reply post(const std::string& path, const nlohmann::json& body);
  reply patch(const std::string& path, const nlohmann::json& body);
  reply remove(const std::string& path);

  /// Reads the event stream; `on_event` gets each event's JSON and returns false to stop.
  /// Returns a failure when the stream could not be opened or broke.
  std::optional<failure> stream(const std::string& path,
                                const std::function<bool(const nlohmann::json&)>& on_event);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// URL-encodes a path segment or query value.
[[nodiscard]] std::string encode(const std::string& text);

} // namespace fleet::ctl
