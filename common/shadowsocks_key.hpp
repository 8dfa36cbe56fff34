#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fleet {

/// Whether `method` is a Shadowsocks 2022 (SIP022) method: its keys are base64 of fixed-size
/// random bytes, and a multi-user inbound has a server key besides each user's key.
[[nodiscard]] bool is_shadowsocks_2022(std::string_view method) noexcept;

/// The key size in bytes of a Shadowsocks 2022 method: 16 for `2022-blake3-aes-128-gcm`, 32
/// for `2022-blake3-aes-256-gcm` and `2022-blake3-chacha20-poly1305`, 0 for every other method.
[[nodiscard]] size_t shadowsocks_2022_key_size(std::string_view method) noexcept;

/// The Shadowsocks password of the fleet client `uuid` on an inbound using `method`. The
/// coordinator knows a client only by its uuid, so the password is derived from it: the
/// first 16 or 32 bytes of SHA-256(uuid) in standard base64 for the 2022 methods (a valid
/// user key), and the first 16 bytes in lower-case hex for older methods (a plain string that
/// needs no escaping). The same inputs always give the same password; the uuid cannot be
/// recovered from it.
[[nodiscard]] std::string shadowsocks_client_password(const std::string& method,
                                                      const std::string& uuid);

} // namespace fleet
