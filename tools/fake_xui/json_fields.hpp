#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace fleet::fake {

/// `obj[key]` when it is a number, else `fallback` (also for non-objects).
[[nodiscard]] inline int64_t int_or(const nlohmann::json& obj, const char* key, int64_t fallback) {
  if (!obj.is_object())
    return fallback;
  auto i = obj.find(key);
  return i != obj.end() && i->is_number() ? i->get<int64_t>() : fallback;
}

/// `obj[key]` when it is a string, else "" (also for non-objects).
[[nodiscard]] inline std::string string_or(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object())
    return {};
  auto i = obj.find(key);
  return i != obj.end() && i->is_string() ? i->get<std::string>() : std::string{};
}

/// `obj[key]` when it is a boolean, else `fallback` (also for non-objects).
[[nodiscard]] inline bool bool_or(const nlohmann::json& obj, const char* key, bool fallback) {
  if (!obj.is_object())
    return fallback;
  auto i = obj.find(key);
  return i != obj.end() && i->is_boolean() ? i->get<bool>() : fallback;
}

/// `obj[key]` when it is an object, else an empty object (also for non-objects).
[[nodiscard]] inline const nlohmann::json& object_at(const nlohmann::json& obj, const char* key) {
  static const nlohmann::json empty = nlohmann::json::object();
  if (!obj.is_object())
    return empty;
  auto i = obj.find(key);
  return i != obj.end() && i->is_object() ? *i : empty;
}

/// Whether `obj` is an object holding `key` (of any type).
[[nodiscard]] inline bool has_key(const nlohmann::json& obj, const char* key) {
  return obj.is_object() && obj.contains(key);
}

} // namespace fleet::fake
