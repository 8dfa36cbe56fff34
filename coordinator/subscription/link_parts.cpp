#include "coordinator/subscription/link_parts.hpp"

#include "common/text.hpp"

namespace fleet::subscription_detail {

void add_tls_hints(const tls_hints& tls, link_query& q) {
  if (!tls.alpn.empty())
    q["alpn"] = join(tls.alpn, ",");
  if (tls.server_name)
    q["sni"] = *tls.server_name;
  if (tls.fingerprint)
    q["fp"] = *tls.fingerprint;
  if (!tls.ech_config_list.empty())
    q["ech"] = tls.ech_config_list;
  if (!tls.verify_peer_cert_by_name.empty())
    q["vcn"] = tls.verify_peer_cert_by_name;
  if (!tls.pinned_peer_cert_sha256.empty())
    q["pcs"] = join(tls.pinned_peer_cert_sha256, ",");
}

void add_proxy_tls_hints(const external_proxy& via, link_query& q) {
  if (!via.sni.empty())
    q["sni"] = via.sni;
  if (!via.fingerprint.empty())
    q["fp"] = via.fingerprint;
  if (!via.alpn.empty())
    q["alpn"] = via.alpn;
  if (!via.pinned_peer_cert_sha256.empty())
    q["pcs"] = join(via.pinned_peer_cert_sha256, ",");
  if (!via.verify_peer_cert_by_name.empty())
    q["vcn"] = via.verify_peer_cert_by_name;
  if (!via.ech_config_list.empty())
    q["ech"] = via.ech_config_list;
}

std::string effective_security(const external_proxy& via, std::string base) {
  return via.force_tls == "same" ? base : via.force_tls;
}

int64_t entry_port(const subscription_entry& e) {
  return e.port > 0 ? e.port : e.profile->port;
}

} // namespace fleet::subscription_detail
