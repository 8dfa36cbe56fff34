#include "coordinator/subscription/subscription_format.hpp"

#include "common/text.hpp"

#include <string>

namespace fleet {

namespace {

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/// Whether `ua` starts with `name` followed by a word boundary.
bool starts_with_word(std::string_view ua, std::string_view name) {
  return ua.substr(0, name.size()) == name
         && (ua.size() == name.size() || !word_char(ua[name.size()]));
}

bool contains(std::string_view ua, std::string_view part) {
  return ua.find(part) != std::string_view::npos;
}

/// The sing-box core version an SF* or similar UA names (`sing-box 1.11.4`), as major * 1000 +
/// minor, or nothing.
std::optional<int> singbox_core_version(std::string_view ua) {
  constexpr std::string_view marker = "sing-box ";
  auto at = ua.find(marker);
  if (at == std::string_view::npos)
    return std::nullopt;
  auto rest = ua.substr(at + marker.size());
  auto number = [&rest]() -> std::optional<int> {
    int value = 0;
    size_t digits = 0;
    while (digits < rest.size() && digits < 6 && rest[digits] >= '0' && rest[digits] <= '9')
      value = value * 10 + (rest[digits++] - '0');
    if (digits == 0)
      return std::nullopt;
    rest.remove_prefix(digits);
    return value;
  };
  auto major = number();
  if (!major || rest.empty() || rest.front() != '.')
    return std::nullopt;
  rest.remove_prefix(1);
  auto minor = number();
  if (!minor)
    return std::nullopt;
  return *major * 1000 + *minor;
}

} // namespace

const char* to_string(subscription_format f) {
  switch (f) {
  case subscription_format::base64:
    return "base64";
  case subscription_format::clash:
    return "clash";
  case subscription_format::singbox:
    return "singbox";
  }
  return "?";
}

std::optional<subscription_format> format_of_suffix(std::string_view suffix) {
  if (suffix == "clash")
    return subscription_format::clash;
  if (suffix == "singbox")
    return subscription_format::singbox;
  if (suffix == "base64" || suffix == "raw")
    return subscription_format::base64;
  return std::nullopt;
}

subscription_format choose_format(std::string_view suffix, std::string_view user_agent) {
  if (auto f = format_of_suffix(suffix))
    return *f;
  auto lower = ascii_lower(std::string{user_agent});
  std::string_view ua = lower;
  for (auto name : {"happ", "v2rayn", "v2rayng", "streisand", "shadowrocket", "nekobox", "nekoray",
                    "v2raytun", "throne"})
    if (starts_with_word(ua, name))
      return subscription_format::base64;
  if (contains(ua, "hiddify"))
    return subscription_format::singbox;
  for (auto name : {"clash", "mihomo", "stash", "flclash"})
    if (contains(ua, name))
      return subscription_format::clash;
  bool sing_box = contains(ua, "sing-box") || ua.substr(0, 6) == "karing";
  for (auto name : {"sfa/", "sfi/", "sfm/", "sft/"})
    sing_box = sing_box || ua.substr(0, 4) == name;
  if (!sing_box)
    return subscription_format::base64;
  // Configs use rule actions, which need sing-box 1.11.
  if (auto version = singbox_core_version(ua); version && *version < 1011)
    return subscription_format::base64;
  return subscription_format::singbox;
}

} // namespace fleet
