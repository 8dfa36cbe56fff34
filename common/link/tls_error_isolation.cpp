// CAF 0.17's TLS layer (libcaf_openssl) serves every connection from one network thread and
// never clears that thread's OpenSSL error queue. After one connection fails (a killed peer,
// a refused handshake), the error stays queued and `SSL_get_error` reports it for the next
// connection that merely has no data yet, which CAF then closes: one bad agent would cut
// every agent off. OpenSSL's rule is to clear the queue before each TLS I/O call; these
// definitions take the place of OpenSSL's in this process (the executable's symbols come
// first), clear the queue and call the library's own function. libcurl does the same clearing
// itself, so its calls behave as before.

#include "common/link/link_setup.hpp"

#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace {

template <class Fn>
Fn library_function(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

using read_fn = int (*)(SSL*, void*, int);
using write_fn = int (*)(SSL*, const void*, int);
using handshake_fn = int (*)(SSL*);

const read_fn real_read = library_function<read_fn>("SSL_read");
const write_fn real_write = library_function<write_fn>("SSL_write");
const handshake_fn real_accept = library_function<handshake_fn>("SSL_accept");
const handshake_fn real_connect = library_function<handshake_fn>("SSL_connect");

} // namespace

extern "C" {

int SSL_read(SSL* ssl, void* buf, int num) {
  ERR_clear_error();
  return real_read(ssl, buf, num);
}

int SSL_write(SSL* ssl, const void* buf, int num) {
  ERR_clear_error();
  return real_write(ssl, buf, num);
}

int SSL_accept(SSL* ssl) {
  ERR_clear_error();
  return real_accept(ssl);
}

int SSL_connect(SSL* ssl) {
  ERR_clear_error();
  return real_connect(ssl);
}

} // extern "C"

namespace fleet {

bool tls_errors_isolated() {
  return real_read != nullptr && real_write != nullptr && real_accept != nullptr
         && real_connect != nullptr
         && dlsym(RTLD_DEFAULT, "SSL_read") == reinterpret_cast<void*>(&SSL_read);
}

} // namespace fleet
