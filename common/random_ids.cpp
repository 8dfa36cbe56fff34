#include "common/random_ids.hpp"

#include <cstdio>

namespace fleet {

std::string random_uuid(std::mt19937_64& rng) {
  std::uniform_int_distribution<uint32_t> byte{0, 255};
  unsigned char b[16];
  for (auto& x : b)
    x = static_cast<unsigned char>(byte(rng));
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof(out),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

std::string random_token(std::mt19937_64& rng, size_t n) {
  static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<size_t> pick{0, sizeof(alphabet) - 2};
  std::string out;
  for (size_t i = 0; i < n; ++i)
    out += alphabet[pick(rng)];
  return out;
}

} // namespace fleet
