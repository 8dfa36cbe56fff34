#pragma once

// Time-based one-time passwords (RFC 6238) as 3X-UI checks them at login from v2.6.0 on:
// HMAC-SHA1, 30-second steps from the Unix epoch, 6 digits (gotp's defaults). Keys and codes
// are secrets: never log them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fleet {

/// Length of one TOTP time step.
inline constexpr std::chrono::seconds totp_step{30};

/// RFC 4226 HOTP: the `digits`-digit code of `key` for `counter`, zero-padded.
[[nodiscard]] std::string hotp_code(const std::vector<uint8_t>& key, uint64_t counter,
                                    int digits = 6);

/// RFC 6238 TOTP: the code of `key` for the time step containing `at`.
[[nodiscard]] std::string totp_code(const std::vector<uint8_t>& key,
                                    std::chrono::system_clock::time_point at, int digits = 6);

/// When `at` lies within `margin` of a step boundary, a time in the neighbouring step on that
/// side (the next step near its end, the previous one near its start): the step a panel whose
/// clock is a little ahead or behind, or a request that crossed the boundary, checks against.
/// `std::nullopt` in the middle of a step.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point>
neighbour_step(std::chrono::system_clock::time_point at, std::chrono::seconds margin);

} // namespace fleet
