#pragma once

// Which handler answers a request: routes by method and path pattern, where a `{name}`
// segment matches any one segment and captures it into the request's `params`.

#include "coordinator/api/http/http_server.hpp"

#include <string>
#include <vector>

namespace fleet {

class router {
public:
  /// Adds a route; `pattern` is a path such as "/api/v1/servers/{id}/health".
  void add(std::string method, const std::string& pattern, http_handler handler);

  void get(const std::string& pattern, http_handler h) { add("GET", pattern, std::move(h)); }
  void post(const std::string& pattern, http_handler h) { add("POST", pattern, std::move(h)); }
  void patch(const std::string& pattern, http_handler h) { add("PATCH", pattern, std::move(h)); }
  void del(const std::string& pattern, http_handler h) { add("DELETE", pattern, std::move(h)); }

  /// The handler of the first route matching `request` with its captures stored in
  /// `request.params`, or null when no route matches.
  [[nodiscard]] const http_handler* find(server_request& request) const;

private:
  struct route {
    std::string method;
    /// Pattern segments; a capture's is empty.
    std::vector<std::string> segments;
    http_handler handler;
    /// Which segments capture; an empty literal one (the end of "/ui/") matches only an
    /// empty segment.
    std::vector<bool> captures;
  };
  std::vector<route> routes_;
};

} // namespace fleet
