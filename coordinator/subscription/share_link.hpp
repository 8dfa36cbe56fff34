#pragma once

#include "coordinator/subscription/link_profile.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fleet {

/// Who the links are for: one fleet user, as the coordinator created its clients on the
/// panels (the uuid is the vless/vmess id and the trojan password).
struct subscriber {
  std::string email;
  std::string uuid;
  std::string sub_id;
  /// The vless flow (`xtls-rprx-vision`), or empty.
  std::string flow;
  /// The client's Shadowsocks password when it is not `shadowsocks_client_password(method,
  /// uuid)` (a client the coordinator did not create); empty to derive it.
  std::string ss_password;
};

/// One link to render. `profile` must outlive the entry.
struct subscription_entry {
  const link_profile* profile = nullptr;
  /// The host users connect to (a name, an IPv4 or an IPv6 address, with or without
  /// brackets).
  std::string address;
  /// The link's remark (URL fragment, vmess `ps`, Clash name, sing-box tag); see `link_remark`.
  std::string remark;
  /// The port users connect to; 0 means the inbound's port.
  int64_t port = 0;
  /// The `externalProxy` entry of `profile` this link goes through, or null. Its `force_tls`
  /// and TLS hints then decide the link's security.
  const external_proxy* via = nullptr;
};

/// The remark 3X-UI gives a link when no remark template is set: the non-empty parts of the
/// inbound remark, `extra` (an externalProxy remark, or a server label) and the e-mail,
/// joined by `-` (`vless-reality-alice`). Empty when all three are.
[[nodiscard]] std::string link_remark(std::string_view inbound_remark, std::string_view email,
                                      std::string_view extra = {});

/// The entries of one inbound for `user_email`: one per `externalProxy` entry when it has
/// any (at the entry's destination and port, the entry's remark as `extra`), else one at
/// `link_address(p, public_host)`. The entries point into `p`.
[[nodiscard]] std::vector<subscription_entry>
entries_for(const link_profile& p, std::string_view public_host, std::string_view user_email);

/// The share link (vless://, vmess://, trojan://, ss://) of one entry for `s`, field for field
/// as 3X-UI v3.6 writes it (docs/subscription-formats.md §1). A null profile gives `""`.
[[nodiscard]] std::string share_link(const subscription_entry& e, const subscriber& s);

/// The password `s` uses on a Shadowsocks inbound with `method`: the given one, else the
/// derived one. For 2022 methods this is the user key only (links carry `server:user`).
[[nodiscard]] std::string shadowsocks_password(const subscriber& s, const std::string& method);

} // namespace fleet
