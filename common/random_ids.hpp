#pragma once

#include <cstddef>
#include <random>
#include <string>

namespace fleet {

/// Returns a random UUID version 4 drawn from `rng`, e.g. "b831381d-6324-4d53-ad4f-8cda48b30811".
[[nodiscard]] std::string random_uuid(std::mt19937_64& rng);

/// Returns `n` random lowercase letters and digits (3X-UI's subscription id alphabet).
[[nodiscard]] std::string random_token(std::mt19937_64& rng, size_t n);

/// A UUID version 4 from the operating system's cryptographic generator (through OpenSSL):
/// client keys, which must not be guessable from the ones seen before. Thread-safe.
[[nodiscard]] std::string secure_uuid();

/// `n` lowercase letters and digits from the cryptographic generator, uniformly: subscription
/// ids, which open a client's subscription to whoever knows one. Thread-safe.
[[nodiscard]] std::string secure_token(size_t n);

} // namespace fleet
