#pragma once

#include "coordinator/subscription/share_link.hpp"
#include "coordinator/subscription/subscription_format.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fleet {

/// An entry a subscription left out, by its index in the entries given, and why (for one log
/// line: names the inbound's remark and transport, never a key or a link).
struct left_out_entry {
  size_t index = 0;
  std::string reason;
};

/// A subscription answer's body and the headers that depend on its format.
struct rendered_subscription {
  std::string body;
  /// `text/plain; charset=utf-8`, `application/yaml; charset=utf-8` or
  /// `application/json; charset=utf-8`.
  std::string content_type;
  /// The file name to offer when no profile title is configured: `subscription.txt`,
  /// `subscription.yaml` or `subscription.json` (see `content_disposition`).
  std::string filename;
  /// Entries this format cannot express; they are not in `body`.
  std::vector<left_out_entry> left_out;
};

/// Renders the subscription of `s` over `entries`, in order, leaving out entries without a
/// profile and those of disabled inbounds.
/// - base64: every link followed by `\n`, all of it in standard base64 with padding.
/// - clash: a Mihomo config with the proxies, a `PROXY` select group over them and `DIRECT`,
///   and `MATCH,PROXY`; entries Mihomo cannot express (xhttp, kcp, tcp with an http header,
///   finalmask, Shadowsocks over anything but plain tcp, ...) are left out.
/// - singbox: a sing-box 1.11+ config (tun inbound, `proxy` selector, `auto` urltest, the
///   outbounds, `direct`, sniff and DNS-hijack rules); xhttp, kcp, finalmask, VLESS
///   encryption and Shadowsocks over anything but plain tcp are left out.
/// Names and tags are the entries' remarks, made unique with `-2`, `-3`, ... (an empty remark
/// becomes `protocol-server-port`).
[[nodiscard]] rendered_subscription
render_subscription(subscription_format f, const subscriber& s,
                    const std::vector<subscription_entry>& entries);

/// The `Subscription-Userinfo` header value: `upload=..; download=..; total=..; expire=..` in
/// bytes and Unix seconds; 0 total means unlimited, 0 expire means never.
[[nodiscard]] std::string subscription_userinfo(int64_t upload, int64_t download, int64_t total,
                                                int64_t expire_s);

/// The `Profile-Title` header value of `title`: `base64:` and its standard base64.
[[nodiscard]] std::string profile_title(std::string_view title);

/// The `Content-Disposition` header value: `attachment; filename*=UTF-8''<title>` with the
/// title percent-encoded per RFC 5987, or `attachment; filename="<filename>"` without a
/// title.
[[nodiscard]] std::string content_disposition(std::string_view title, std::string_view filename);

} // namespace fleet
