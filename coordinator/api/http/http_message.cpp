#include "coordinator/api/http/http_message.hpp"

#include <strings.h>

namespace fleet {

namespace {

const std::string* first_of(const server_fields& fields, std::string_view name, bool any_case) {
  for (const auto& [key, value] : fields) {
    if (key.size() != name.size())
      continue;
    if (any_case ? strncasecmp(key.data(), name.data(), name.size()) == 0 : key == name)
      return &value;
  }
  return nullptr;
}

} // namespace

const std::string* server_request::header(std::string_view name) const {
  return first_of(headers, name, true);
}

const std::string* server_request::query_value(std::string_view name) const {
  return first_of(query, name, false);
}

} // namespace fleet
