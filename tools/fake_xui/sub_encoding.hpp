#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>

namespace fleet::fake {

/// Go's `url.QueryEscape`: per byte, `A-Z a-z 0-9 - _ . ~` stay, space becomes `+`, every
/// other byte `%XX` (upper-case hex).
[[nodiscard]] std::string query_escape(const std::string& text);

/// `query_escape` with `+` written as `%20` (3x-ui's userinfo and fragment encoding).
[[nodiscard]] std::string component_escape(const std::string& text);

/// Go's `url.Values.Encode` of one value per key: keys in byte order, empty values kept.
[[nodiscard]] std::string encode_query(const std::map<std::string, std::string>& params);

/// Standard base64 with padding.
[[nodiscard]] std::string base64_std(const std::string& bytes);

/// URL-safe base64 without padding.
[[nodiscard]] std::string base64_url_raw(const std::string& bytes);

/// Lower-case hex of the SHA-256 of `bytes`.
[[nodiscard]] std::string sha256_hex(const std::string& bytes);

/// `n` bytes from `rng`.
[[nodiscard]] std::string random_bytes(std::mt19937_64& rng, size_t n);

/// Go's `net.JoinHostPort` after stripping brackets: `[h]:p` for IPv6 literals, else `h:p`.
[[nodiscard]] std::string join_host_port(std::string host, int64_t port);

} // namespace fleet::fake
