#pragma once

#include <cstdint>
#include <string>

namespace fleet {

/// Lower-case hex of HMAC-SHA256(`key`, `message`).
[[nodiscard]] std::string hmac_sha256_hex(const std::string& key, const std::string& message);

/// The `X-Fleet-Signature` value of a delivery made at Unix time `t` (seconds):
/// "t=<t>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with `secret`>". Receivers recompute it
/// and reject old `t` (replays).
[[nodiscard]] std::string signature_header(const std::string& secret, int64_t t,
                                           const std::string& body);

/// `url` without what may carry a secret: user and password, query and fragment
/// ("https://u:p@h/x?token=1" -> "https://h/x").
[[nodiscard]] std::string redact_url(const std::string& url);

/// SHA-256 of `text` in lower-case hex (names a webhook's stored cursor after its URL).
[[nodiscard]] std::string sha256_of(const std::string& text);

} // namespace fleet
