// Remarks of subscription links: 3x-ui's default remark template (subscription-formats.md
// §1.12).

#include "tools/fake_xui/sub_remark.hpp"

#include <catch2/catch.hpp>

using namespace fleet::fake;

namespace {

constexpr int64_t now_ms = 1'780'000'000'000;
constexpr int64_t day_ms = 86'400'000;

std::string remark(const std::string& inbound, const std::string& email, remark_stats stats) {
  return expand_remark(default_remark_template, inbound, email, stats, now_ms);
}

} // namespace

TEST_CASE("unlimited clients get inbound-email", "[unit][fake][sub]") {
  CHECK(remark("vless-reality", "alice", {}) == "vless-reality-alice");
  CHECK(remark("", "alice", {}) == "alice");
  CHECK(remark("vless-reality", "", {}) == "vless-reality");
  CHECK(remark("", "", {}).empty());
}

TEST_CASE("quota and days left follow the name", "[unit][fake][sub]") {
  remark_stats limited{0, 0, 53'687'091'200, now_ms + 30 * day_ms + 3'600'000};
  CHECK(remark("vless-reality", "alice", limited)
        == "vless-reality-alice|\xF0\x9F\x93\x8A"
           "50.00GB|\xE2\x8F\xB3"
           "30D");
  remark_stats expired{0, 0, 0, now_ms - day_ms};
  CHECK(remark("r", "a", expired)
        == "r-a|\xE2\x8F\xB3"
           "0D");
  remark_stats delayed{0, 0, 0, -3 * day_ms};
  CHECK(remark("r", "a", delayed)
        == "r-a|\xE2\x8F\xB3"
           "3D");
  remark_stats used_up{600, 600, 1000, 0};
  CHECK(remark("r", "a", used_up)
        == "r-a|\xF0\x9F\x93\x8A"
           "0.00B");
}

TEST_CASE("later links and displays use shorter templates", "[unit][fake][sub]") {
  remark_stats limited{0, 0, 1024, 0};
  CHECK(expand_remark("{{INBOUND}}", "r", "a", limited, now_ms) == "r");
  CHECK(expand_remark("{{INBOUND}}-{{EMAIL}}", "r", "a", limited, now_ms) == "r-a");
  CHECK(expand_remark("{{UNKNOWN}}", "r", "a", limited, now_ms) == "r");
  CHECK(expand_remark("plain", "r", "a", limited, now_ms) == "plain");
}

TEST_CASE("traffic is formatted in binary units with two decimals", "[unit][fake][sub]") {
  CHECK(format_traffic(0) == "0.00B");
  CHECK(format_traffic(1023) == "1023.00B");
  CHECK(format_traffic(1024) == "1.00KB");
  CHECK(format_traffic(1'610'612'736) == "1.50GB");
}
