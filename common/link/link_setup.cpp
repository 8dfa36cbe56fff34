#include "common/link/link_setup.hpp"

#include "common/error.hpp"

#include <caf/io/middleman.hpp>
#include <caf/io/publish.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>

#include <memory>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdexcept>

namespace fleet {

namespace {

/// The reason OpenSSL gives for its last failure, or `fallback`.
std::string openssl_reason(const char* fallback) {
  auto code = ERR_get_error();
  ERR_clear_error();
  if (code == 0)
    return fallback;
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

} // namespace

void configure_link(caf::actor_system_config& cfg, const link_settings& link) {
  cfg.load<caf::io::middleman>();
  if (!link.plaintext) {
    if (!tls_errors_isolated())
      throw std::logic_error{"the TLS error isolation of the agent link is not in effect"};
    // The OpenSSL manager needs the middleman loaded first.
    cfg.load<caf::openssl::manager>();
    cfg.openssl_certificate = link.tls.cert;
    cfg.openssl_key = link.tls.key;
    cfg.openssl_cafile = link.tls.ca;
  }
  cfg.set("middleman.heartbeat-interval", caf::timespan{link.heartbeat});
  cfg.set("middleman.connection-timeout", caf::timespan{link.timeout});
}

caf::error check_link_material(const link_settings& link) {
  if (link.plaintext)
    return caf::none;
  const auto& tls = link.tls;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx{SSL_CTX_new(TLS_method()), SSL_CTX_free};
  if (!ctx)
    return make_error(ec::internal, "cannot set up TLS: " + openssl_reason("no context"));
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), tls.cert.c_str()) != 1)
    return make_error(ec::invalid_argument,
                      "cannot load the certificate " + tls.cert
                          + " (PEM expected): " + openssl_reason("unreadable"));
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), tls.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) != X509_R_KEY_VALUES_MISMATCH)
      return make_error(ec::invalid_argument, "cannot load the private key " + tls.key
                                                  + " (PEM without passphrase expected): "
                                                  + openssl_reason("unreadable"));
    ERR_clear_error();
    return make_error(ec::invalid_argument,
                      "the key " + tls.key + " does not belong to the certificate " + tls.cert);
  }
  if (SSL_CTX_check_private_key(ctx.get()) != 1)
    return make_error(ec::invalid_argument,
                      "the key " + tls.key + " does not belong to the certificate " + tls.cert);
  if (SSL_CTX_load_verify_locations(ctx.get(), tls.ca.c_str(), nullptr) != 1)
    return make_error(ec::invalid_argument, "cannot load the CA " + tls.ca + " (PEM expected): "
                                                + openssl_reason("unreadable"));
  return caf::none;
}

caf::expected<uint16_t> publish_on_link(caf::actor_system& sys, const gate_actor& gate,
                                        const link_settings& link, const std::string& address) {
  auto where = parse_host_port(address);
  if (!where)
    return make_error(ec::invalid_argument, "\"" + address + "\" is not host:port");
  auto port = static_cast<uint16_t>(where->port);
  // Reuse the address: a restarted coordinator must get its port back while the last run's
  // connections are still in TIME_WAIT.
  auto bound = link.plaintext ? sys.middleman().publish(gate, port, where->host.c_str(), true)
                              : caf::openssl::publish(gate, port, where->host.c_str(), true);
  if (!bound)
    return make_error(ec::io_error,
                      "cannot listen for agents on " + address + ": " + sys.render(bound.error()));
  return *bound;
}

caf::actor link_connector(caf::actor_system& sys, const link_settings& link) {
  if (link.plaintext)
    return caf::actor_cast<caf::actor>(sys.middleman().actor_handle());
  return caf::actor_cast<caf::actor>(sys.openssl_manager().actor_handle());
}

} // namespace fleet
