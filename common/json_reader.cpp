#include "common/json_reader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace fleet {

bool has_errors(const field_problems& problems) {
  return std::any_of(problems.begin(), problems.end(), [](const field_problem& p) {
    return p.level == field_problem::severity::error;
  });
}

std::string json_type_name(const nlohmann::json& value) {
  if (value.is_number_integer())
    return "integer";
  if (value.is_number_float())
    return "number";
  return value.type_name();
}

std::optional<std::string> id_from_json(const nlohmann::json& value) {
  if (value.is_string())
    return value.get<std::string>();
  if (value.is_number_unsigned() || (value.is_number_integer() && value.get<int64_t>() >= 0))
    return std::to_string(value.get<uint64_t>());
  return std::nullopt;
}

nlohmann::json id_to_json(const std::string& id) {
  auto digits_only = !id.empty() && id.size() < 19 && std::all_of(id.begin(), id.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  auto canonical = id.size() == 1 || (!id.empty() && id.front() != '0');
  if (digits_only && canonical)
    return std::stoll(id);
  return id;
}

json_reader::json_reader(const nlohmann::json& object, std::string path, field_problems& problems)
    : object_(object), path_(std::move(path)), problems_(problems), valid_(object.is_object()) {
  if (!valid_)
    problems_.push_back({field_problem::severity::error, path_,
                         "expected an object, got " + json_type_name(object)});
}

bool json_reader::has(const char* key) const {
  if (!valid_)
    return false;
  auto i = object_.find(key);
  return i != object_.end() && !i->is_null();
}

std::string json_reader::path_of(const char* key) const {
  return path_.empty() ? std::string{key} : path_ + "." + key;
}

const nlohmann::json* json_reader::find(const char* key, bool required) {
  if (!valid_)
    return nullptr;
  auto i = object_.find(key);
  if (i == object_.end() || i->is_null()) {
    if (required)
      fail(key, "missing");
    return nullptr;
  }
  return &*i;
}

void json_reader::fail(const char* key, std::string reason) {
  problems_.push_back({field_problem::severity::error, path_of(key), std::move(reason)});
}

void json_reader::wrong_type(const char* key, const char* expected, const nlohmann::json& got) {
  fail(key, std::string{"expected "} + expected + ", got " + json_type_name(got));
}

void json_reader::string(const char* key, std::string& out, bool required) {
  if (auto* v = find(key, required)) {
    if (v->is_string())
      out = v->get<std::string>();
    else
      wrong_type(key, "a string", *v);
  }
}

void json_reader::boolean(const char* key, bool& out, bool required) {
  if (auto* v = find(key, required)) {
    if (v->is_boolean())
      out = v->get<bool>();
    else
      wrong_type(key, "true or false", *v);
  }
}

void json_reader::integer(const char* key, int64_t& out, int64_t min, int64_t max, bool required) {
  std::optional<int64_t> value;
  if (find(key, required) != nullptr)
    integer(key, value, min, max);
  if (value)
    out = *value;
}

void json_reader::integer(const char* key, std::optional<int64_t>& out, int64_t min, int64_t max) {
  auto* v = find(key, false);
  if (v == nullptr)
    return;
  if (!v->is_number_integer()) {
    wrong_type(key, "an integer", *v);
    return;
  }
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(max)) {
    fail(key, v->dump() + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
    return;
  }
  auto x = v->get<int64_t>();
  if (x < min || x > max) {
    fail(key, std::to_string(x) + " is out of range " + std::to_string(min) + ".."
                  + std::to_string(max));
    return;
  }
  out = x;
}

void json_reader::number(const char* key, double& out, double min, double max, bool required) {
  std::optional<double> value;
  if (find(key, required) != nullptr)
    number(key, value, min, max);
  if (value)
    out = *value;
}

void json_reader::number(const char* key, std::optional<double>& out, double min, double max) {
  auto* v = find(key, false);
  if (v == nullptr)
    return;
  if (!v->is_number()) {
    wrong_type(key, "a number", *v);
    return;
  }
  auto x = v->get<double>();
  if (!std::isfinite(x) || x < min || x > max) {
    std::ostringstream msg;
    msg << v->dump() << " is outside " << min << ".." << max;
    fail(key, msg.str());
    return;
  }
  out = x;
}

void json_reader::duration(const char* key, millis& out, bool required) {
  auto* v = find(key, required);
  if (v == nullptr)
    return;
  if (!v->is_string()) {
    wrong_type(key, "a duration string like \"30s\"", *v);
    return;
  }
  auto parsed = parse_duration(v->get<std::string>());
  if (!parsed) {
    fail(key, message_of(parsed.error()));
    return;
  }
  out = *parsed;
}

void json_reader::strings(const char* key, std::vector<std::string>& out) {
  auto* v = find(key, false);
  if (v == nullptr)
    return;
  if (!v->is_array()) {
    wrong_type(key, "an array of strings", *v);
    return;
  }
  std::vector<std::string> result;
  for (size_t i = 0; i < v->size(); ++i) {
    const auto& item = (*v)[i];
    if (!item.is_string()) {
      problems_.push_back({field_problem::severity::error,
                           path_of(key) + "[" + std::to_string(i) + "]",
                           "expected a string, got " + json_type_name(item)});
      return;
    }
    result.push_back(item.get<std::string>());
  }
  out = std::move(result);
}

void json_reader::id(const char* key, std::string& out, bool required) {
  auto* v = find(key, required);
  if (v == nullptr)
    return;
  if (auto value = id_from_json(*v))
    out = std::move(*value);
  else
    wrong_type(key, "a string or a non-negative integer", *v);
}

void json_reader::warn_unknown(std::initializer_list<const char*> keys) {
  if (!valid_)
    return;
  for (const auto& item : object_.items()) {
    auto known
        = std::any_of(keys.begin(), keys.end(), [&](const char* k) { return item.key() == k; });
    if (!known)
      problems_.push_back({field_problem::severity::warning, path_of(item.key().c_str()),
                           "unknown field, ignored"});
  }
}

} // namespace fleet
