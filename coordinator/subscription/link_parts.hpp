#pragma once

// Pieces the share-link builders share. Internal to the subscription library.

#include "coordinator/subscription/share_link.hpp"
#include "coordinator/subscription/url_text.hpp"

#include <string>

namespace fleet::subscription_detail {

/// The TLS hints of a tls inbound as link fields: `alpn`, `sni`, `fp`, `ech`, `vcn`, `pcs`.
void add_tls_hints(const tls_hints& tls, link_query& q);

/// An externalProxy entry's TLS hints, written over the inbound's.
void add_proxy_tls_hints(const external_proxy& via, link_query& q);

/// The security a link through `via` uses: the inbound's (`base`) when `force_tls` is `same`,
/// else `force_tls` as written (`""` leaves the link's `security` as it is).
[[nodiscard]] std::string effective_security(const external_proxy& via, std::string base);

/// The port of an entry: its own, else the inbound's.
[[nodiscard]] int64_t entry_port(const subscription_entry& e);

/// The vmess:// link of an entry.
[[nodiscard]] std::string vmess_link(const subscription_entry& e, const subscriber& s);

} // namespace fleet::subscription_detail
