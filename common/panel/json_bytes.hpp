#pragma once

// The byte-level pieces of `json_cursor`: word masks that scan 8 bytes at a time, the UTF-8
// ranges nlohmann::json accepts, and escapes. Pure functions on byte ranges.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace fleet::json_bytes {

/// Bytes a string holds as they are: printable ASCII but the quote and the backslash.
inline constexpr std::array<bool, 256> plain_bytes = [] {
  std::array<bool, 256> out{};
  for (int c = 0x20; c < 0x80; ++c)
    out[static_cast<size_t>(c)] = c != '"' && c != '\\';
  return out;
}();

inline constexpr std::array<bool, 256> space_bytes = [] {
  std::array<bool, 256> out{};
  for (auto c : {' ', '\n', '\r', '\t'})
    out[static_cast<unsigned char>(c)] = true;
  return out;
}();

inline bool plain(char c) noexcept {
  return plain_bytes[static_cast<unsigned char>(c)];
}

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the byte masks below read words");

inline constexpr uint64_t ones = 0x0101010101010101ULL;
inline constexpr uint64_t highs = 0x8080808080808080ULL;

inline uint64_t word_at(const char* p) noexcept {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

/// The bytes of the word `v` that are not plain (a quote, a backslash, a control character,
/// a non-ASCII byte), as a mask of their high bits. The lowest one is exact: the borrows of
/// the subtractions only ever mark bytes above a hit.
inline uint64_t special_bytes(uint64_t v) noexcept {
  auto zero = [](uint64_t x) { return (x - ones) & ~x; };
  return (v | zero(v ^ (ones * '"')) | zero(v ^ (ones * '\\')) | ((v - ones * 0x20) & ~v)) & highs;
}

/// The bytes of the word `v` that are not spaces, as a mask of their high bits (exact).
inline uint64_t other_than_spaces(uint64_t v) noexcept {
  constexpr uint64_t lows = 0x7F7F7F7F7F7F7F7FULL;
  auto x = v ^ (ones * ' ');
  return (((x & lows) + lows) | x) & highs;
}

/// The index of the lowest byte in a mask of high bits.
inline size_t lowest(uint64_t mask) noexcept {
  return static_cast<size_t>(__builtin_ctzll(mask)) / 8;
}

/// The first byte at or after `p` that is not plain, or `end`.
inline const char* next_special(const char* p, const char* end) noexcept {
  for (; end - p >= 8; p += 8)
    if (auto m = special_bytes(word_at(p)))
      return p + lowest(m);
  while (p != end && plain(*p))
    ++p;
  return p;
}

/// A string being unescaped into `text`, which grows as needed; `size` bytes are written.
struct unescaped {
  std::string& text;
  size_t size = 0;

  /// Room for `n` more bytes.
  char* room(size_t n) {
    if (text.size() < size + n)
      text.resize(std::max(2 * text.size(), size + n + 64));
    return text.data() + size;
  }

  void append(const char* p, size_t n) {
    std::memcpy(room(n), p, n);
    size += n;
  }

  /// Copies the plain bytes from `p` on, 8 at a time; returns the first that is not.
  const char* copy_plain(const char* p, const char* end) {
    for (; end - p >= 8; p += 8) {
      auto v = word_at(p);
      std::memcpy(room(8), &v, 8);
      if (auto m = special_bytes(v)) {
        size += lowest(m);
        return p + lowest(m);
      }
      size += 8;
    }
    for (; p != end && plain(*p); ++p)
      append(p, 1);
    return p;
  }
};

/// The length of the UTF-8 sequence at `p` (a byte >= 0x80), or 0 when it is not well formed
/// (the ranges nlohmann::json checks: no overlong forms, no surrogates, nothing past U+10FFFF).
inline size_t utf8_length(const char* p, const char* end) noexcept {
  auto at = [&](size_t i) { return static_cast<unsigned char>(p[i]); };
  auto in = [](unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; };
  auto left = static_cast<size_t>(end - p);
  auto c = at(0);
  size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (in(c, 0xC2, 0xDF)) {
    n = 2;
  } else if (in(c, 0xE0, 0xEF)) {
    n = 3;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (in(c, 0xF0, 0xF4)) {
    n = 4;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (left < n || !in(at(1), lo, hi))
    return 0;
  for (size_t i = 2; i < n; ++i)
    if (!in(at(i), 0x80, 0xBF))
      return 0;
  return n;
}

inline int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// The four hex digits of a `\u` escape at `p` (which points at the backslash), or -1.
inline int32_t code_unit(const char* p, const char* end) noexcept {
  if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
    return -1;
  int32_t out = 0;
  for (int i = 2; i < 6; ++i) {
    auto d = hex_digit(p[i]);
    if (d < 0)
      return -1;
    out = out * 16 + d;
  }
  return out;
}

/// Writes `cp` as UTF-8 to `out` (room for 4 bytes); returns the bytes written.
inline size_t put_utf8(char* out, uint32_t cp) noexcept {
  auto put = [&out](size_t i, uint32_t x) { out[i] = static_cast<char>(x); };
  if (cp < 0x80) {
    put(0, cp);
    return 1;
  }
  if (cp < 0x800) {
    put(0, 0xC0 | (cp >> 6));
    put(1, 0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    put(0, 0xE0 | (cp >> 12));
    put(1, 0x80 | ((cp >> 6) & 0x3F));
    put(2, 0x80 | (cp & 0x3F));
    return 3;
  }
  put(0, 0xF0 | (cp >> 18));
  put(1, 0x80 | ((cp >> 12) & 0x3F));
  put(2, 0x80 | ((cp >> 6) & 0x3F));
  put(3, 0x80 | (cp & 0x3F));
  return 4;
}

/// What the escapes of one character stand for, by the character after the backslash (0:
/// none).
inline constexpr std::array<char, 256> escaped_bytes = [] {
  std::array<char, 256> out{};
  constexpr std::string_view letters = "\"\\/bfnrt";
  constexpr std::string_view meant = "\"\\/\b\f\n\r\t";
  for (size_t i = 0; i < letters.size(); ++i)
    out[static_cast<unsigned char>(letters[i])] = meant[i];
  return out;
}();

/// Reads the escape at `p` (a backslash) into `cp`, the code point it stands for; returns
/// the position after it, or null when it is not a valid escape.
inline const char* unescape(const char* p, const char* end, uint32_t& cp) noexcept {
  if (end - p < 2)
    return nullptr;
  if (auto c = escaped_bytes[static_cast<unsigned char>(p[1])]) {
    cp = static_cast<unsigned char>(c);
    return p + 2;
  }
  if (p[1] != 'u')
    return nullptr;
  auto unit = code_unit(p, end);
  if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF))
    return nullptr;
  cp = static_cast<uint32_t>(unit);
  p += 6;
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    auto low = code_unit(p, end);
    if (low < 0xDC00 || low > 0xDFFF)
      return nullptr;
    cp = 0x10000 + ((cp - 0xD800) << 10) + static_cast<uint32_t>(low - 0xDC00);
    p += 6;
  }
  return p;
}

inline bool digit(const char* p, const char* end) noexcept {
  return p != end && *p >= '0' && *p <= '9';
}

} // namespace fleet::json_bytes
