#include "coordinator/subscription/listen_address.hpp"

#include "coordinator/subscription/link_profile.hpp"
#include "coordinator/subscription/url_text.hpp"

#include <arpa/inet.h>
#include <array>
#include <cstdint>
#include <string>

namespace fleet {

namespace {

enum class ip_kind { not_ip, loopback, not_public, public_ip };

ip_kind classify_v4(const uint8_t* a) {
  if (a[0] == 127)
    return ip_kind::loopback;
  bool not_public = a[0] == 0 || a[0] == 10 || (a[0] == 172 && (a[1] & 0xF0) == 16)
                    || (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254)
                    || (a[0] == 100 && (a[1] & 0xC0) == 64);
  return not_public ? ip_kind::not_public : ip_kind::public_ip;
}

ip_kind classify(std::string_view host) {
  auto text = bare_host(host);
  std::array<uint8_t, 16> a{};
  if (inet_pton(AF_INET, text.c_str(), a.data()) == 1)
    return classify_v4(a.data());
  if (inet_pton(AF_INET6, text.c_str(), a.data()) != 1)
    return ip_kind::not_ip;
  bool zero_prefix = true;
  for (size_t i = 0; i < 10; ++i)
    zero_prefix = zero_prefix && a[i] == 0;
  if (zero_prefix && a[10] == 0xFF && a[11] == 0xFF)
    return classify_v4(a.data() + 12);
  bool zero_head
      = zero_prefix && a[10] == 0 && a[11] == 0 && a[12] == 0 && a[13] == 0 && a[14] == 0;
  if (zero_head && a[15] == 1)
    return ip_kind::loopback;
  if (zero_head && a[15] == 0)
    return ip_kind::not_public;
  if ((a[0] & 0xFE) == 0xFC || (a[0] == 0xFE && (a[1] & 0xC0) == 0x80))
    return ip_kind::not_public;
  return ip_kind::public_ip;
}

} // namespace

bool listen_is_internal(std::string_view listen) {
  if (listen.empty())
    return false;
  return listen.front() == '@' || listen.front() == '/' || classify(listen) == ip_kind::loopback;
}

bool listen_is_public(std::string_view listen) {
  if (listen.empty() || listen.front() == '@' || listen.front() == '/')
    return false;
  auto kind = classify(listen);
  return kind == ip_kind::not_ip || kind == ip_kind::public_ip;
}

std::string link_address(const link_profile& p, std::string_view public_host) {
  return listen_is_public(p.listen) ? p.listen : std::string{public_host};
}

} // namespace fleet
