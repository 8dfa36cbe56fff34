#include "tools/fake_xui/reply.hpp"

#include <charconv>

namespace fleet::fake {

void reply_envelope(httplib::Response& res, bool success, const std::string& msg, ojson obj) {
  ojson body{{"success", success}, {"msg", msg}, {"obj", std::move(obj)}};
  res.status = 200;
  res.set_content(body.dump(), "application/json; charset=utf-8");
}

void reply_empty(httplib::Response& res, int status) {
  res.status = status;
  res.set_content("", "text/plain");
}

bool is_json(const httplib::Request& req) {
  return req.get_header_value("Content-Type").find("application/json") != std::string::npos;
}

std::optional<nlohmann::json> body_field(const httplib::Request& req, const std::string& name) {
  if (is_json(req)) {
    auto doc = nlohmann::json::parse(req.body, nullptr, false);
    if (doc.is_object() && doc.contains(name))
      return doc[name];
    return std::nullopt;
  }
  if (req.is_multipart_form_data()) {
    if (req.has_file(name))
      return req.get_file_value(name).content;
    return std::nullopt;
  }
  httplib::Params params;
  httplib::detail::parse_query_text(req.body, params);
  if (auto i = params.find(name); i != params.end())
    return i->second;
  if (req.has_param(name.c_str()))
    return req.get_param_value(name.c_str());
  return std::nullopt;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t begin = 0;
  while (begin <= path.size()) {
    auto end = path.find('/', begin);
    if (end == std::string::npos)
      end = path.size();
    if (end > begin)
      parts.push_back(path.substr(begin, end - begin));
    begin = end + 1;
  }
  return parts;
}

bool match(const std::vector<std::string>& parts, const char* pattern,
           std::vector<std::string>& args) {
  auto want = split_path(pattern);
  if (want.size() != parts.size())
    return false;
  std::vector<std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (!want[i].empty() && want[i][0] == ':')
      found.push_back(parts[i]);
    else if (want[i] != parts[i])
      return false;
  }
  args = std::move(found);
  return true;
}

std::optional<int64_t> parse_id(const std::string& text) {
  int64_t value = 0;
  auto [ptr, err] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (err != std::errc{} || ptr != text.data() + text.size())
    return std::nullopt;
  return value;
}

} // namespace fleet::fake
