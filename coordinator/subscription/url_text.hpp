#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace fleet {

/// The query of a share link: keys sorted bytewise, empty values kept (`host=`).
using link_query = std::map<std::string, std::string>;

/// `text` with every byte but ASCII letters, digits and those in `keep` written as `%XX`
/// (upper-case hex).
[[nodiscard]] std::string percent_encode(std::string_view text, std::string_view keep);

/// Go's `url.QueryEscape`: `A-Z a-z 0-9 - _ . ~` stay, a space becomes `+`, every other byte
/// becomes `%XX` (upper-case hex).
[[nodiscard]] std::string query_escape(std::string_view text);

/// `query_escape` with `+` written as `%20`: the share-link fragment (remark) and the trojan
/// password in the userinfo.
[[nodiscard]] std::string component_escape(std::string_view text);

/// `key=value` pairs of `query`, both escaped, joined by `&` (Go's `url.Values.Encode`).
[[nodiscard]] std::string encode_query(const link_query& query);

/// `host` without enclosing brackets (`[2001:db8::1]` -> `2001:db8::1`), as Clash and sing-box
/// take it.
[[nodiscard]] std::string bare_host(std::string_view host);

/// `host:port`, with an IPv6 literal in brackets (`[2001:db8::1]:443`), as a URI authority
/// needs it; existing brackets are not doubled.
[[nodiscard]] std::string join_host_port(std::string_view host, int64_t port);

/// Standard base64 (RFC 4648 §4) with padding.
[[nodiscard]] std::string base64_encode(std::string_view bytes);

/// URL-safe base64 (RFC 4648 §5) without padding.
[[nodiscard]] std::string base64url_encode(std::string_view bytes);

} // namespace fleet
