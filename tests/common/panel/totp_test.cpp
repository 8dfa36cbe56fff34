// TOTP codes against the RFC 6238 test vectors, base32 secrets, and the step boundaries a
// refused login is tried again across. Time is always given, never read.

#include "common/base32.hpp"
#include "common/panel/totp.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using std::chrono::seconds;
using std::chrono::system_clock;

namespace {

system_clock::time_point at(int64_t unix_seconds) {
  return system_clock::time_point{seconds{unix_seconds}};
}

/// The SHA-1 seed of RFC 6238 appendix B, "12345678901234567890", written in base32.
std::vector<uint8_t> rfc_key() {
  return *decode_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

} // namespace

TEST_CASE("base32 secrets decode as RFC 4648 says", "[unit][totp]") {
  auto text = [](std::string_view b32) {
    auto bytes = decode_base32(b32);
    REQUIRE(bytes);
    return std::string{bytes->begin(), bytes->end()};
  };
  CHECK(text("MY======") == "f");
  CHECK(text("MZXW6===") == "foo");
  CHECK(text("MZXW6YTBOI======") == "foobar");
  CHECK(text("mzxw6ytboi") == "foobar");
  CHECK(text("MZXW 6YTB-OI") == "foobar");
  CHECK(text("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") == "12345678901234567890");
  for (const auto* bad : {"", "====", "MZXW1", "MZXW8", "MZ=XW", "MZXW6!"}) {
    INFO(bad);
    CHECK_FALSE(decode_base32(bad));
  }
}

TEST_CASE("TOTP codes match the RFC 6238 SHA-1 test vectors", "[unit][totp]") {
  auto key = rfc_key();
  CHECK(totp_code(key, at(59), 8) == "94287082");
  CHECK(totp_code(key, at(1'111'111'109), 8) == "07081804");
  CHECK(totp_code(key, at(1'111'111'111), 8) == "14050471");
  CHECK(totp_code(key, at(1'234'567'890), 8) == "89005924");
  CHECK(totp_code(key, at(2'000'000'000), 8) == "69279037");
  // Year 2603 is past system_clock's range (nanoseconds in 64 bits): use its counter.
  CHECK(hotp_code(key, 20'000'000'000 / 30, 8) == "65353130");
  // The panel's six digits are the last six of the same value.
  CHECK(totp_code(key, at(59)) == "287082");
  CHECK(totp_code(key, at(1'111'111'109)) == "081804");
  CHECK(totp_code(key, at(1'234'567'890)) == "005924");
  // One code per 30-second step.
  CHECK(totp_code(key, at(1'234'567'860)) == totp_code(key, at(1'234'567'889)));
  CHECK(totp_code(key, at(1'234'567'889)) != totp_code(key, at(1'234'567'890)));
  CHECK(hotp_code(key, 1'234'567'890 / 30) == "005924");
}

TEST_CASE("logins near a step boundary try the neighbouring step", "[unit][totp]") {
  auto margin = seconds{5};
  // 1'234'567'890 is 0 s into its step (1'234'567'890 % 30 == 0).
  CHECK(neighbour_step(at(1'234'567'890 + 24), margin) == std::nullopt);
  CHECK(neighbour_step(at(1'234'567'890 + 15), margin) == std::nullopt);
  CHECK(neighbour_step(at(1'234'567'890 + 5), margin) == std::nullopt);
  CHECK(neighbour_step(at(1'234'567'890 + 25), margin) == at(1'234'567'890 + 55));
  CHECK(neighbour_step(at(1'234'567'890 + 29), margin) == at(1'234'567'890 + 59));
  CHECK(neighbour_step(at(1'234'567'890 + 4), margin) == at(1'234'567'890 - 26));
  CHECK(neighbour_step(at(1'234'567'890), margin) == at(1'234'567'860));
}
