#pragma once

#include "tools/fake_xui/fake_panel.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace fleet::fake {

/// One subscription request, as the panel's subscription server sees it.
struct subscription_request {
  std::string sub_id;
  /// The request's host without port (X-Forwarded-Host, else X-Real-IP, else Host).
  std::string host;
  /// The configured subscription domain (3x-ui's `subDomain`); "" for none.
  std::string public_host;
  /// A subscription body (the full remark template on a client's first link) rather than a
  /// display of links (`clients/subLinks`: name-only remarks).
  bool body = true;
  int64_t now_ms = 0;
};

/// What the panel answers for one subscription id: the links in order, and the usage of the
/// distinct emails behind them (`Subscription-Userinfo`).
struct subscription {
  std::vector<std::string> links;
  int64_t up = 0;
  int64_t down = 0;
  /// Bytes; 0 when any client is unlimited.
  int64_t total = 0;
  /// Unix milliseconds; 0 when never or when the clients' expiries differ.
  int64_t expiry_ms = 0;
};

/// The links of every client with the subscription id on an enabled vless, vmess, trojan or
/// shadowsocks inbound (inbounds by id, clients in their inbound's order, one per email and
/// inbound), as 3x-ui's `getSubs` collects them. Links advertise a routable `listen` address,
/// else `public_host`, else the request's host (a loopback one as "localhost"). Disabled
/// clients are listed too, as the panel lists them. REALITY choices draw from the panel's
/// random source.
[[nodiscard]] subscription collect_subscription(fake_panel& panel, const subscription_request& req);

/// Whether a link may advertise `host`: not empty and not a loopback or unspecified IP.
[[nodiscard]] bool routable_host(const std::string& host);

} // namespace fleet::fake
