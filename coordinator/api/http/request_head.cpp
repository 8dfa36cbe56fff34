#include "coordinator/api/http/request_head.hpp"

#include <boost/url/parse.hpp>

namespace fleet {

bool read_target(std::string_view target, server_request& out) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url)
    return false;
  out.path = url->path();
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (auto param : url->params(opts))
    out.query.emplace_back(std::move(param.key), std::move(param.value));
  return true;
}

bool read_request(parsed_request& message, server_request& out) {
  if (!read_target(message.target(), out))
    return false;
  out.method = std::string{message.method_string()};
  for (const auto& field : message)
    out.headers.emplace_back(std::string{field.name_string()}, std::string{field.value()});
  out.body = std::move(message.body());
  return true;
}

} // namespace fleet
