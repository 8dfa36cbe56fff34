#pragma once

// What the Clash and sing-box renderers share: the security an entry ends up with, uTLS names,
// and the checks that keep one bad proxy from breaking a whole config (both clients reject a
// config when any proxy in it is invalid). Internal to the subscription library.

#include "coordinator/subscription/share_link.hpp"

#include <string>

namespace fleet::subscription_detail {

/// The security of an entry after its externalProxy entry: `none`, or `tls` with the
/// inbound's hints (or none, when the inbound itself has no TLS) overridden by the entry's, or
/// the inbound's REALITY.
struct proxy_security {
  link_security kind = link_security::none;
  tls_hints tls;
  const reality_hints* reality = nullptr;
};

[[nodiscard]] proxy_security resolve_security(const subscription_entry& e);

/// `alpn` without empty entries.
[[nodiscard]] std::vector<std::string> alpn_list(const tls_hints& tls);

/// An Xray uTLS fingerprint as the target names it (`random` for Xray's `randomized` in
/// mihomo, ...), `chrome` for names the target does not know.
[[nodiscard]] std::string utls_name(const std::string& fingerprint, bool mihomo);

/// Why an entry has no Clash or sing-box proxy: the reasons both share (finalmask, kcp,
/// xhttp, a custom-path gRPC service, Shadowsocks over anything but plain tcp, an unusable
/// REALITY key or short id), or `""`.
[[nodiscard]] std::string common_problem(const subscription_entry& e, const proxy_security& sec);

/// The Shadowsocks password of a Clash or sing-box proxy: for 2022 methods the server and the
/// user key joined by `:`, as multi-user clients send both.
[[nodiscard]] std::string shadowsocks_proxy_password(const link_profile& p, const subscriber& s);

/// Whether the vless flow goes into the proxy: Vision over tcp with tls or REALITY.
[[nodiscard]] bool proxy_flow_fits(const subscription_entry& e, const proxy_security& sec);

} // namespace fleet::subscription_detail
