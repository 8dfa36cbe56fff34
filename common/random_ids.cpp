#include "common/random_ids.hpp"

#include <cstdio>
#include <openssl/rand.h>

namespace fleet {

namespace {

constexpr char token_alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr size_t token_letters = sizeof(token_alphabet) - 1;

/// Fills `out` from OpenSSL's generator, or from the kernel's through `std::random_device`
/// should OpenSSL ever fail to seed itself.
void secure_bytes(unsigned char* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) == 1)
    return;
  std::random_device kernel;
  for (size_t i = 0; i < n; ++i)
    out[i] = static_cast<unsigned char>(kernel());
}

std::string uuid_text(unsigned char* b) {
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof(out),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

} // namespace

std::string random_uuid(std::mt19937_64& rng) {
  std::uniform_int_distribution<uint32_t> byte{0, 255};
  unsigned char b[16];
  for (auto& x : b)
    x = static_cast<unsigned char>(byte(rng));
  return uuid_text(b);
}

std::string random_token(std::mt19937_64& rng, size_t n) {
  std::uniform_int_distribution<size_t> pick{0, token_letters - 1};
  std::string out;
  for (size_t i = 0; i < n; ++i)
    out += token_alphabet[pick(rng)];
  return out;
}

std::string secure_uuid() {
  unsigned char b[16];
  secure_bytes(b, sizeof(b));
  return uuid_text(b);
}

std::string secure_token(size_t n) {
  // Bytes at or above the largest multiple of the alphabet's size are drawn again, so that
  // every letter is equally likely.
  constexpr unsigned limit = 256 / token_letters * token_letters;
  std::string out;
  out.reserve(n);
  unsigned char pool[64];
  while (out.size() < n) {
    secure_bytes(pool, sizeof(pool));
    for (auto x : pool)
      if (x < limit && out.size() < n)
        out += token_alphabet[x % token_letters];
  }
  return out;
}

} // namespace fleet
