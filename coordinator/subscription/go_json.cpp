#include "coordinator/subscription/go_json.hpp"

namespace fleet {

std::string go_json(const nlohmann::json& value, bool indented) {
  auto text = value.dump(indented ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
  // These characters only occur inside strings, so escaping them anywhere is safe.
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '<') {
      out += "\\u003c";
    } else if (ch == '>') {
      out += "\\u003e";
    } else if (ch == '&') {
      out += "\\u0026";
    } else if (ch == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80'
               && (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
      out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += ch;
    }
  }
  return out;
}

} // namespace fleet
