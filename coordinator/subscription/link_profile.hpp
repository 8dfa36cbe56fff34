#pragma once

#include "common/protocol.hpp"

#include <caf/expected.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fleet {

/// The proxy protocols the subscription renders.
enum class link_protocol : uint8_t { vless, vmess, trojan, shadowsocks };

/// The transports (`streamSettings.network`) the subscription renders. Xray's `raw` is read
/// as `tcp`, its new name.
enum class link_network : uint8_t { tcp, ws, grpc, httpupgrade, xhttp, kcp };

/// The stream security layers the subscription renders; an empty `security` is `none`.
enum class link_security : uint8_t { none, tls, reality };

/// The name as 3X-UI writes it (`vless`, `ws`, `reality`, ...).
[[nodiscard]] const char* to_string(link_protocol x);
[[nodiscard]] const char* to_string(link_network x);
[[nodiscard]] const char* to_string(link_security x);

/// What a client needs of a `tls` inbound (`streamSettings.tlsSettings`).
struct tls_hints {
  /// The string entries of `alpn`, in order (the panel's default is `h2`, `http/1.1`).
  std::vector<std::string> alpn;
  /// `serverName`; unset when the key is missing, so links carry no `sni` at all.
  std::optional<std::string> server_name;
  /// `settings.fingerprint` (a uTLS name such as `chrome`); unset when the key is missing.
  std::optional<std::string> fingerprint;
  /// `settings.echConfigList` (base64), or empty.
  std::string ech_config_list;
  /// `settings.verifyPeerCertByName`, trimmed, or empty.
  std::string verify_peer_cert_by_name;
  /// The non-empty entries of `settings.pinnedPeerCertSha256`.
  std::vector<std::string> pinned_peer_cert_sha256;
};

/// What a client needs of a `reality` inbound (`streamSettings.realitySettings`).
struct reality_hints {
  /// Whether `realitySettings` is an object at all (without it links carry only
  /// `security=reality`).
  bool present = false;
  /// `serverNames` and `shortIds`; links, Clash and sing-box all use the first entry, so a
  /// subscription never changes from one fetch to the next (the panel picks one at random).
  std::vector<std::string> server_names;
  std::vector<std::string> short_ids;
  /// `settings.publicKey`; unset when the key is missing.
  std::optional<std::string> public_key;
  /// `settings.fingerprint`, `settings.mldsa65Verify` and the `settings.spiderX` seed, or empty.
  std::string fingerprint;
  std::string mldsa65_verify;
  std::string spider_x_seed;
};

/// The transport parameters of one inbound, for the transport it uses.
struct transport_hints {
  /// tcp: `header.type` as written (`""` when missing); the vmess `type` field.
  std::string tcp_header_type;
  /// tcp with an `http` header; then `path` and `host` come from that header.
  bool http_header = false;
  /// tcp+http: the first request path, if any. ws, httpupgrade, xhttp: `path` (`""` when
  /// missing).
  std::optional<std::string> path;
  /// tcp+http, ws, httpupgrade, xhttp: the `host` field, else the `Host` header (any case;
  /// the first value of a list), else `""`.
  std::string host;
  /// grpc.
  std::string service_name;
  std::string authority;
  bool multi_mode = false;
  /// xhttp: `mode` when it is a string; `xPaddingBytes`; the `extra` object of the settings
  /// both ends must agree on, as compact JSON (`""` when there is nothing in it).
  std::optional<std::string> xhttp_mode;
  std::string x_padding_bytes;
  std::string xhttp_extra;
  /// kcp: the header type (`none` when unset), seed, and the positive `mtu`/`tti` (else 0).
  std::string kcp_header_type = "none";
  std::string kcp_seed;
  int64_t kcp_mtu = 0;
  int64_t kcp_tti = 0;
};

/// One `streamSettings.externalProxy` entry: links go to `dest:port` instead of the server,
/// with `force_tls` choosing the security (`same` keeps the inbound's, `tls` or `none`) and
/// the TLS hints given here overriding the inbound's when the result is `tls`.
struct external_proxy {
  std::string force_tls;
  std::string dest;
  int64_t port = 0;
  std::string remark;
  std::string sni;
  std::string fingerprint;
  /// As links carry it: a string entry as written, a list joined by `,`.
  std::string alpn;
  std::vector<std::string> pinned_peer_cert_sha256;
  std::string verify_peer_cert_by_name;
  std::string ech_config_list;
};

/// An inbound parsed once (when a passed health check's inbound list is cached), ready to
/// render links and proxies for any number of users. A plain value; holds the Shadowsocks
/// server key, so never log it.
struct link_profile {
  int64_t inbound_id = 0;
  std::string remark;
  std::string listen;
  int64_t port = 0;
  /// Disabled inbounds are read like any other; subscriptions leave them out.
  bool enable = true;
  link_protocol protocol = link_protocol::vless;
  link_network network = link_network::tcp;
  link_security security = link_security::none;
  transport_hints transport;
  tls_hints tls;
  reality_hints reality;
  /// `streamSettings.finalmask` reduced to the masks clients know, as compact JSON (the `fm`
  /// parameter), or `""`.
  std::string finalmask;
  /// vless: `settings.encryption` when it is a string (links carry `encryption=` only then).
  std::optional<std::string> vless_encryption;
  /// vless: `encryption` or `decryption` is a real VLESS encryption (not empty, not `none`).
  bool vless_encryption_enabled = false;
  /// shadowsocks: `settings.method`, and for the 2022 methods the server key `settings.password`.
  std::string ss_method;
  std::string ss_server_key;
  std::vector<external_proxy> external_proxies;
};

/// Parses an inbound's own fields and its `settings` (without clients) and `streamSettings`
/// JSON (text, or text holding a JSON string, as Gen 1 panels store it). Fails with
/// `ec::invalid_argument` naming what the subscription does not support: another protocol
/// (wireguard, hysteria, socks, ...), another transport (quic, h2, splithttp, ...), another
/// security, VMess or Shadowsocks over REALITY, `2022-blake3-chacha20-poly1305` (single-user
/// in Xray), or a `listen` only the panel's host can reach (a fallback child); with
/// `ec::parse_error` when the JSON is unreadable. Messages name the inbound by id and remark
/// and carry no settings values.
[[nodiscard]] caf::expected<link_profile> read_link_profile(const inbound_profile& in);

/// The address links for `p` point at: its `listen` address when that is a public IP or a
/// host name, else `public_host`. Unlike the panel, private (RFC 1918, ULA, link-local) listen
/// addresses count as not public: fleet servers usually sit behind NAT.
[[nodiscard]] std::string link_address(const link_profile& p, std::string_view public_host);

} // namespace fleet
