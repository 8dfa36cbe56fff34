#include "coordinator/subscription/yaml_writer.hpp"

#include "common/text.hpp"

namespace fleet {

namespace {

bool plain_safe(const std::string& s) {
  static const std::set<std::string> words{"y",   "n",    "yes",   "no",   "on",
                                           "off", "true", "false", "null", "~"};
  if (s.empty() || words.count(ascii_lower(s)) > 0)
    return false;
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (!letter(s.front()) && s.front() != '/')
    return false;
  for (char c : s)
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '.' && c != '_' && c != '/' && c != '+'
        && c != '=' && c != ',' && c != '-')
      return false;
  return true;
}

std::string quoted(const std::string& s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      // A JSON string is a valid YAML double-quoted scalar.
      return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string{"''"} : std::string(1, c);
  return out + "'";
}

std::string scalar(const nlohmann::ordered_json& v, bool force_quote) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    return !force_quote && plain_safe(s) ? s : quoted(s);
  }
  if (v.is_object())
    return "{}";
  if (v.is_array())
    return "[]";
  return v.dump();
}

class writer {
public:
  explicit writer(const std::set<std::string>& quoted_keys) : quoted_keys_(quoted_keys) {}

  void map(const nlohmann::ordered_json& obj, size_t indent) {
    for (const auto& [key, value] : obj.items()) {
      out_.append(indent, ' ');
      out_ += key + ":";
      nested_or_scalar(value, indent, quoted_keys_.count(key) > 0);
    }
  }

  void seq(const nlohmann::ordered_json& arr, size_t indent) {
    for (const auto& item : arr) {
      out_.append(indent, ' ');
      out_ += "-";
      if (item.is_object() && !item.empty()) {
        // The first key goes on the dash's line, the rest below it.
        auto start = out_.size();
        map(item, indent + 2);
        out_.replace(start, indent + 2, " ");
      } else {
        nested_or_scalar(item, indent, false);
      }
    }
  }

  std::string take() { return std::move(out_); }

private:
  void nested_or_scalar(const nlohmann::ordered_json& value, size_t indent, bool force_quote) {
    if (value.is_structured() && !value.empty()) {
      out_ += "\n";
      if (value.is_object())
        map(value, indent + 2);
      else
        seq(value, indent + 2);
      return;
    }
    out_ += " " + scalar(value, force_quote) + "\n";
  }

  const std::set<std::string>& quoted_keys_;
  std::string out_;
};

} // namespace

std::string to_yaml(const nlohmann::ordered_json& doc, const std::set<std::string>& quoted_keys) {
  writer w{quoted_keys};
  w.map(doc, 0);
  return w.take();
}

} // namespace fleet
