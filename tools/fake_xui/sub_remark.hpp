#pragma once

#include <cstdint>
#include <string>

namespace fleet::fake {

/// The usage a remark shows for one client: bytes, and the expiry in Unix milliseconds
/// (0 = never, negative = that long after first use).
struct remark_stats {
  int64_t up = 0;
  int64_t down = 0;
  int64_t total = 0;
  int64_t expiry_ms = 0;
};

/// 3x-ui's default remark template (v3.4+):
/// "{{INBOUND}}-{{EMAIL}}|📊{{TRAFFIC_LEFT}}|⏳{{DAYS_LEFT}}D".
extern const char* const default_remark_template;

/// Expands `tmpl` as 3x-ui's `expandRemarkVars` does (subscription-formats.md §1.12) for the
/// tokens INBOUND, EMAIL, TRAFFIC_LEFT and DAYS_LEFT (any other token expands to ""): `|`
/// segments whose tokens give nothing or only "∞" are dropped, a lone `-` between two tokens
/// goes when nothing before it or the token after it is empty. A blank result gives the
/// inbound remark.
[[nodiscard]] std::string expand_remark(const std::string& tmpl, const std::string& inbound_remark,
                                        const std::string& email, const remark_stats& stats,
                                        int64_t now_ms);

/// 3x-ui's `FormatTraffic`: divided by 1024 while at least 1024, "%.2f" and B, KB, ..., PB.
[[nodiscard]] std::string format_traffic(int64_t bytes);

} // namespace fleet::fake
