#include "common/panel/json_cursor.hpp"

#include "common/panel/json_bytes.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace fleet {

using namespace json_bytes;

json_cursor::json_cursor(std::string_view text) noexcept
    : at_(text.data()), end_(text.data() + text.size()) {
  // nlohmann::json skips a byte-order mark; so rare in answers that it is left undecided.
  if (text.size() >= 3 && std::memcmp(text.data(), "\xEF\xBB\xBF", 3) == 0)
    failed_ = true;
}

bool json_cursor::fail() noexcept {
  failed_ = true;
  return false;
}

void json_cursor::skip_more_space() noexcept {
  while (at_ != end_ && space_bytes[static_cast<unsigned char>(*at_)]) {
    // Indentation comes in runs of spaces: 8 at a time.
    if (*at_ == ' ' && end_ - at_ >= 8) {
      if (auto others = other_than_spaces(word_at(at_))) {
        at_ += lowest(others);
        continue;
      }
      at_ += 8;
      continue;
    }
    ++at_;
  }
}

bool json_cursor::open(char c) noexcept {
  if (failed_)
    return false;
  skip_space();
  if (at_ == end_ || *at_ != c)
    return fail();
  ++at_;
  return true;
}

bool json_cursor::closes(char c) noexcept {
  skip_space();
  if (at_ == end_ || *at_ != c)
    return false;
  ++at_;
  return true;
}

bool json_cursor::more(char close) noexcept {
  if (failed_)
    return false;
  skip_space();
  if (at_ != end_ && *at_ == ',') {
    ++at_;
    return true;
  }
  if (at_ != end_ && *at_ == close) {
    ++at_;
    return false;
  }
  return fail();
}

bool json_cursor::enter() noexcept {
  return ++depth_ <= max_depth || fail();
}

json_cursor::kind json_cursor::peek() noexcept {
  if (failed_)
    return kind::none;
  skip_space();
  if (at_ == end_)
    return kind::none;
  switch (*at_) {
  case '{':
    return kind::object;
  case '[':
    return kind::array;
  case '"':
    return kind::string;
  case 't':
  case 'f':
    return kind::boolean;
  case 'n':
    return kind::null;
  default:
    return *at_ == '-' || (*at_ >= '0' && *at_ <= '9') ? kind::number : kind::none;
  }
}

bool json_cursor::read_string(std::string_view& out, std::string* scratch) {
  if (!open('"'))
    return false;
  const char* p = at_;
  // Plain bytes and UTF-8 until the closing quote (no copy) or the first escape.
  for (;;) {
    p = next_special(p, end_);
    if (p == end_)
      return fail();
    auto c = static_cast<unsigned char>(*p);
    if (c == '"') {
      out = std::string_view{at_, static_cast<size_t>(p - at_)};
      at_ = p + 1;
      return true;
    }
    if (c == '\\')
      break;
    auto n = c < 0x20 ? 0 : utf8_length(p, end_);
    if (n == 0)
      return fail();
    p += n;
  }
  // Escaped: unescaped into `*scratch` (or only checked).
  std::string ignored;
  unescaped w{scratch != nullptr ? *scratch : ignored};
  if (scratch != nullptr)
    w.append(at_, static_cast<size_t>(p - at_));
  for (;;) {
    p = scratch != nullptr ? w.copy_plain(p, end_) : next_special(p, end_);
    if (p == end_)
      return fail();
    auto c = static_cast<unsigned char>(*p);
    if (c == '"')
      break;
    if (c == '\\') {
      uint32_t cp = 0;
      p = unescape(p, end_, cp);
      if (p == nullptr)
        return fail();
      if (scratch != nullptr)
        w.size += put_utf8(w.room(4), cp);
      continue;
    }
    auto n = c < 0x20 ? 0 : utf8_length(p, end_);
    if (n == 0)
      return fail();
    if (scratch != nullptr)
      w.append(p, n);
    p += n;
  }
  if (scratch != nullptr) {
    scratch->resize(w.size);
    out = *scratch;
  }
  at_ = p + 1;
  return true;
}

bool json_cursor::key(std::string_view& out, std::string& scratch) {
  return read_string(out, &scratch) && open(':');
}

bool json_cursor::string(std::string& out) {
  // An escaped string is unescaped into `out` itself; a plain one is copied.
  std::string_view text;
  if (!read_string(text, &out))
    return false;
  if (text.data() != out.data())
    out.assign(text);
  return true;
}

bool json_cursor::number(std::string_view& token) noexcept {
  if (peek() != kind::number)
    return fail();
  const char* p = at_;
  if (*p == '-')
    ++p;
  if (p != end_ && *p == '0') {
    ++p;
  } else if (digit(p, end_)) {
    while (digit(p, end_))
      ++p;
  } else {
    return fail();
  }
  bool integer = true;
  if (p != end_ && *p == '.') {
    integer = false;
    if (!digit(++p, end_))
      return fail();
    while (digit(p, end_))
      ++p;
  }
  if (p != end_ && (*p == 'e' || *p == 'E')) {
    integer = false;
    ++p;
    if (p != end_ && (*p == '+' || *p == '-'))
      ++p;
    if (!digit(p, end_))
      return fail();
    while (digit(p, end_))
      ++p;
  }
  token = std::string_view{at_, static_cast<size_t>(p - at_)};
  // nlohmann::json reads floats (and integers past 64 bits) as doubles and refuses the ones
  // that are not finite; where from_chars does not give a finite double, leave it undecided.
  if (!integer || token.size() > 19) {
    double x = 0;
    auto [end, err] = std::from_chars(token.data(), token.data() + token.size(), x);
    if (err != std::errc{} || end != token.data() + token.size() || !std::isfinite(x))
      return fail();
  }
  at_ = p;
  return true;
}

bool json_cursor::literal(std::string_view word) noexcept {
  if (failed_)
    return false;
  skip_space();
  if (static_cast<size_t>(end_ - at_) < word.size()
      || std::memcmp(at_, word.data(), word.size()) != 0)
    return fail();
  at_ += word.size();
  return true;
}

bool json_cursor::boolean(bool& out) noexcept {
  if (peek() != kind::boolean)
    return fail();
  out = *at_ == 't';
  return literal(out ? "true" : "false");
}

bool json_cursor::skip() {
  switch (peek()) {
  case kind::object:
    return object([this](std::string_view) { return skip(); });
  case kind::array:
    return array([this] { return skip(); });
  case kind::string: {
    std::string_view ignored;
    return read_string(ignored, nullptr);
  }
  case kind::number: {
    std::string_view ignored;
    return number(ignored);
  }
  case kind::boolean: {
    bool ignored = false;
    return boolean(ignored);
  }
  case kind::null:
    return literal("null");
  case kind::none:
    break;
  }
  return fail();
}

bool json_cursor::skip(std::string_view& text) {
  skip_space();
  const char* start = at_;
  if (!skip())
    return false;
  text = std::string_view{start, static_cast<size_t>(at_ - start)};
  return true;
}

bool json_cursor::at_end() noexcept {
  skip_space();
  return !failed_ && at_ == end_;
}

} // namespace fleet
