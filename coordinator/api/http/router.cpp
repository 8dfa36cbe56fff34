#include "coordinator/api/http/router.hpp"

#include <string_view>

namespace fleet {

namespace {

/// The segments of a path ("/a/b" gives a, b).
std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  size_t at = path.empty() || path[0] != '/' ? 0 : 1;
  while (at <= path.size()) {
    auto end = path.find('/', at);
    if (end == std::string_view::npos)
      end = path.size();
    out.push_back(path.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

} // namespace

void router::add(std::string method, const std::string& pattern, http_handler handler) {
  route r{std::move(method), {}, std::move(handler), {}};
  for (auto segment : split(pattern)) {
    auto capture = segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
    r.segments.emplace_back(capture ? std::string_view{} : segment);
    r.captures.push_back(capture);
  }
  routes_.push_back(std::move(r));
}

const http_handler* router::find(server_request& request) const {
  auto segments = split(request.path);
  for (const auto& r : routes_) {
    if (r.method != request.method || r.segments.size() != segments.size())
      continue;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i)
      match = r.captures[i] ? !segments[i].empty() : r.segments[i] == segments[i];
    if (!match)
      continue;
    request.params.clear();
    for (size_t i = 0; i < segments.size(); ++i)
      if (r.captures[i])
        request.params.emplace_back(segments[i]);
    return &r.handler;
  }
  return nullptr;
}

} // namespace fleet
