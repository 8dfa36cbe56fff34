#include "common/duration.hpp"

#include <cctype>
#include <cmath>

namespace fleet {

namespace {

/// Returns the length of one unit in milliseconds, or 0 for an unknown unit.
double unit_millis(std::string_view unit) {
  if (unit == "ms")
    return 1.0;
  if (unit == "s")
    return 1000.0;
  if (unit == "m")
    return 60'000.0;
  if (unit == "h")
    return 3'600'000.0;
  return 0.0;
}

caf::error bad_duration(std::string_view text, std::string_view why) {
  return make_error(ec::invalid_argument, "\"" + std::string{text} + "\" is not a duration ("
                                              + std::string{why}
                                              + "); write it like \"30s\", \"500ms\" or \"1m\"");
}

} // namespace

caf::expected<millis> parse_duration(std::string_view text) {
  if (text.empty())
    return bad_duration(text, "empty");
  double total = 0.0;
  size_t pos = 0;
  while (pos < text.size()) {
    auto number_begin = pos;
    while (pos < text.size()
           && (std::isdigit(static_cast<unsigned char>(text[pos])) != 0 || text[pos] == '.'))
      ++pos;
    auto number = text.substr(number_begin, pos - number_begin);
    if (number.empty() || number == "." || number.find('.') != number.rfind('.'))
      return bad_duration(text, "expected a number at position " + std::to_string(number_begin));
    auto unit_begin = pos;
    while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos])) != 0)
      ++pos;
    auto unit = text.substr(unit_begin, pos - unit_begin);
    if (unit.empty())
      return bad_duration(text, "missing unit after " + std::string{number});
    auto scale = unit_millis(unit);
    if (scale == 0.0)
      return bad_duration(text, "unknown unit \"" + std::string{unit} + "\"");
    total += std::stod(std::string{number}) * scale;
  }
  if (total > 1e15)
    return bad_duration(text, "too long");
  return millis{static_cast<millis::rep>(std::floor(total))};
}

std::string format_duration(millis value) {
  auto ms = value.count();
  if (ms == 0)
    return "0s";
  std::string out;
  if (ms < 0) {
    out += '-';
    ms = -ms;
  }
  if (ms % 1000 != 0 && ms > 1000) {
    // Mixed seconds and milliseconds read best as milliseconds only.
    return out + std::to_string(ms) + "ms";
  }
  if (ms < 1000)
    return out + std::to_string(ms) + "ms";
  auto seconds = ms / 1000;
  auto hours = seconds / 3600;
  auto minutes = (seconds % 3600) / 60;
  auto rest = seconds % 60;
  if (hours > 0)
    out += std::to_string(hours) + "h";
  if (minutes > 0)
    out += std::to_string(minutes) + "m";
  if (rest > 0)
    out += std::to_string(rest) + "s";
  return out;
}

} // namespace fleet
