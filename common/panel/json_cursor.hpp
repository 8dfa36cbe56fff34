#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fleet {

/// Reads one JSON text front to back without building a tree: the reader of answers too
/// large to parse into `nlohmann::json` on every health check. It accepts exactly the texts
/// `nlohmann::json::parse` accepts (RFC 8259: strict grammar, UTF-8 checked, no comments),
/// except a few rare forms it leaves undecided: a byte-order mark, nesting deeper than
/// `max_depth`, and a number nlohmann would read as a float that `std::from_chars` does not
/// turn into a finite double.
///
/// Any problem (malformed text, an undecided form, or a value of another kind than the one
/// asked for) makes the cursor `failed()` for good: every later call does nothing and returns
/// false. A caller then reads the text the general way, which also names the problem.
///
/// Not thread-safe; the text must outlive the cursor and every view it hands out.
class json_cursor {
public:
  /// The kind of a value, from its first character.
  enum class kind { object, array, string, number, boolean, null, none };

  static constexpr int max_depth = 64;

  explicit json_cursor(std::string_view text) noexcept;

  /// The kind of the next value (after whitespace); `none` when failed or there is none.
  [[nodiscard]] kind peek() noexcept;

  /// Reads a string value into `out`, unescaped.
  bool string(std::string& out);

  /// Reads a number value; `token` is its text ("-12", "1.5e3").
  bool number(std::string_view& token) noexcept;

  /// Reads `true` or `false`.
  bool boolean(bool& out) noexcept;

  /// Reads any value.
  bool skip();

  /// Reads any value; `text` is its text, without surrounding whitespace.
  bool skip(std::string_view& text);

  /// Reads an object: `member(key)` is called for each member in order, with the key
  /// unescaped, and must read the member's value (the view lives until it returns). A
  /// `member` returning false fails the cursor.
  template <class Member>
  bool object(Member&& member);

  /// Reads an array: `element()` is called for each element and must read it. An `element`
  /// returning false fails the cursor.
  template <class Element>
  bool array(Element&& element);

  /// Whether only whitespace is left (true once a whole text has been read).
  [[nodiscard]] bool at_end() noexcept;

  [[nodiscard]] bool failed() const noexcept { return failed_; }

  /// Fails the cursor; returns false.
  bool fail() noexcept;

private:
  /// Skips whitespace; inline, as most calls find none.
  void skip_space() noexcept {
    if (at_ != end_ && static_cast<unsigned char>(*at_) <= ' ')
      skip_more_space();
  }
  void skip_more_space() noexcept;
  /// Consumes `c` after whitespace.
  bool open(char c) noexcept;
  /// After whitespace: true (consumed) when the next character is `c`.
  bool closes(char c) noexcept;
  /// After a member or element: true for ',', false for `close` (both consumed), failing on
  /// anything else.
  bool more(char close) noexcept;
  /// Reads a string; `out` is its text when it has no escapes, else `*scratch` unescaped
  /// (a null `scratch`: only checked).
  bool read_string(std::string_view& out, std::string* scratch);
  /// Reads a key and its ':'.
  bool key(std::string_view& out, std::string& scratch);
  bool literal(std::string_view word) noexcept;
  /// Nesting: entered when an object or array opens, left when it closes.
  bool enter() noexcept;

  const char* at_;
  const char* end_;
  int depth_ = 0;
  bool failed_ = false;
};

template <class Member>
bool json_cursor::object(Member&& member) {
  if (!enter() || !open('{'))
    return fail();
  if (!closes('}')) {
    std::string scratch;
    do {
      std::string_view k;
      if (!key(k, scratch) || !member(k) || failed_)
        return fail();
    } while (more('}'));
  }
  --depth_;
  return !failed_;
}

template <class Element>
bool json_cursor::array(Element&& element) {
  if (!enter() || !open('['))
    return fail();
  if (!closes(']')) {
    do {
      if (!element() || failed_)
        return fail();
    } while (more(']'));
  }
  --depth_;
  return !failed_;
}

} // namespace fleet
