#pragma once

#include "common/error.hpp"
#include "coordinator/store/records.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace fleet {

/// Creates running under an `Idempotency-Key`: the first request with a key runs; requests
/// with the same key and body meanwhile wait for its answer, and the same key with another
/// body is a conflict. Answers kept from earlier runs are the store's. Plain state;
/// single-threaded (owned by the coordinator actor).
class idempotent_creates {
public:
  using answer = std::function<void(caf::expected<client_record>)>;

  enum class admission {
    /// No create runs under the key: the caller looks for a kept answer, else starts one.
    first,
    /// A create with the same body runs: `waiter` gets its answer.
    joined,
    /// A create with another body runs under the key.
    conflict,
  };

  /// Admits a request under `key` whose body has `digest`; takes `waiter` only when joined.
  admission join(const std::string& key, const std::string& digest, answer& waiter);

  /// Registers the create that runs under `key`; `first` gets its answer.
  void start(const std::string& key, const std::string& digest, answer first);

  /// Forgets the create under `key` and returns everyone waiting for its answer, the first
  /// one first.
  [[nodiscard]] std::vector<answer> finish(const std::string& key);

  /// Creates running now.
  [[nodiscard]] size_t running() const noexcept { return running_.size(); }

  /// The error for a key used again with another body.
  [[nodiscard]] static caf::error conflict_error(const std::string& key);

private:
  struct run {
    std::string digest;
    std::vector<answer> waiting;
  };
  std::map<std::string, run> running_;
};

} // namespace fleet
