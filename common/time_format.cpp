#include "common/time_format.hpp"

#include <cstdio>
#include <ctime>

namespace fleet {

namespace {

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  auto era = (y >= 0 ? y : y - 399) / 400;
  auto yoe = y - era * 400;
  auto doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  auto doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

caf::error bad_time(std::string_view text) {
  return make_error(ec::invalid_argument, "\"" + std::string{text}
                                              + "\" is not an RFC 3339 time such as "
                                                "\"2026-11-25T20:11:36Z\"");
}

} // namespace

std::string to_rfc3339(wall_time t) {
  auto ms = to_unix_ms(t);
  auto secs = static_cast<std::time_t>(ms / 1000);
  auto frac = static_cast<int>(ms % 1000);
  if (frac < 0) {
    frac += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

caf::expected<wall_time> parse_rfc3339(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  std::string str{text};
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed)
          != 6
      || consumed != 19)
    return bad_time(text);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
    return bad_time(text);
  auto rest = std::string_view{str}.substr(19);
  int64_t millis_part = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    int digits = 0;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      if (digits < 3)
        millis_part = millis_part * 10 + (rest.front() - '0');
      ++digits;
      rest.remove_prefix(1);
    }
    if (digits == 0)
      return bad_time(text);
    for (; digits < 3; ++digits)
      millis_part *= 10;
  }
  int64_t offset_minutes = 0;
  if (rest == "Z" || rest == "z") {
    // UTC
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = 0, om = 0;
    if (std::sscanf(std::string{rest.substr(1)}.c_str(), "%2d:%2d", &oh, &om) != 2)
      return bad_time(text);
    offset_minutes = (oh * 60 + om) * (rest[0] == '-' ? -1 : 1);
  } else {
    return bad_time(text);
  }
  auto days = days_from_civil(y, mo, d);
  auto seconds = days * 86400 + h * 3600 + mi * 60 + s - offset_minutes * 60;
  return wall_time{std::chrono::milliseconds{seconds * 1000 + millis_part}};
}

int64_t to_unix_ms(wall_time t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

} // namespace fleet
