// Choosing the answer's form from the path suffix and the User-Agent (doc §5).

#include "coordinator/subscription/subscription_format.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace fleet;

TEST_CASE("subscription choose_format: every User-Agent of the doc's table",
          "[unit][subscription]") {
  using f = subscription_format;
  const std::vector<std::pair<std::string, f>> table{
      {"clash-verge/v2.2.3", f::clash},
      {"ClashMetaForAndroid/2.11.4.Meta", f::clash},
      {"clash.meta/v1.19.2", f::clash},
      {"mihomo/1.19.2", f::clash},
      {"FlClash/v0.8.80 like ClashMeta Clash Platform/android", f::clash},
      {"FlClash/v0.8.80 like ClashMeta v2ray sing-box Platform/android", f::clash},
      {"Stash/2.4.7 Clash/1.9.0", f::clash},
      {"ClashforWindows/0.20.39", f::clash},
      {"SFA/1.11.4 (1; sing-box 1.11.4)", f::singbox},
      {"SFI/1.12.0 (12; sing-box 1.12.0)", f::singbox},
      {"SFM/1.13.2 (40; sing-box 1.13.2)", f::singbox},
      {"SFT/1.11.0 (3; sing-box 1.11.0)", f::singbox},
      {"SFA/1.10.7 (9; sing-box 1.10.7)", f::base64},
      {"HiddifyNext/4.1.1 (android) like ClashMeta v2ray sing-box", f::singbox},
      {"HiddifyNext/2.5.7 (windows)", f::singbox},
      {"karing/1.1.2.620", f::singbox},
      {"v2rayN/7.10.5", f::base64},
      {"v2rayNG/1.10.16", f::base64},
      {"Happ/1.4.2 CFNetwork/1568.300.101 Darwin/24.2.0", f::base64},
      {"Happ/3.13.0 (Windows) like sing-box", f::base64},
      {"Streisand/1.6.42", f::base64},
      {"Shadowrocket/2070 CFNetwork/1498.700.2 Darwin/23.6.0", f::base64},
      {"NekoBox/Android/1.3.4 (Prefer ClashMeta Format)", f::base64},
      {"Nekoray/3.26", f::base64},
      {"v2RayTun/2.4.1", f::base64},
      {"Throne/1.0.0", f::base64},
      {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 "
       "Safari/537.36",
       f::base64},
      {"", f::base64},
  };
  for (const auto& [ua, expected] : table) {
    INFO(ua);
    CHECK(choose_format("", ua) == expected);
  }
}

TEST_CASE("subscription choose_format: a path suffix wins over the User-Agent",
          "[unit][subscription]") {
  CHECK(choose_format("clash", "v2rayNG/1.10.16") == subscription_format::clash);
  CHECK(choose_format("singbox", "clash-verge/v2.2.3") == subscription_format::singbox);
  CHECK(choose_format("base64", "clash-verge/v2.2.3") == subscription_format::base64);
  CHECK(choose_format("raw", "SFA/1.11.4 (1; sing-box 1.11.4)") == subscription_format::base64);
  // An unknown suffix is no choice: the User-Agent decides.
  CHECK(choose_format("nonsense", "clash-verge/v2.2.3") == subscription_format::clash);
  CHECK_FALSE(format_of_suffix("nonsense"));
  CHECK_FALSE(format_of_suffix(""));
  CHECK(format_of_suffix("clash") == subscription_format::clash);
  CHECK(std::string{to_string(subscription_format::singbox)} == "singbox");
}
