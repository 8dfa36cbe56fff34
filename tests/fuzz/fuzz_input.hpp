#pragma once

// What every fuzz target shares: the input as text, and as a panel's HTTP answer.

#include "common/panel/http_engine.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace fleet::fuzz {

/// The fuzzer's bytes as a string (they may contain NULs and invalid UTF-8).
inline std::string text_of(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// An HTTP 200 answer of a panel with the fuzzer's bytes as its body.
inline http_response panel_answer(const uint8_t* data, size_t size) {
  http_response r;
  r.status = 200;
  r.content_type = "application/json";
  r.body = text_of(data, size);
  return r;
}

} // namespace fleet::fuzz
