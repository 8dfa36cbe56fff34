#pragma once

#include "common/error.hpp"
#include "coordinator/store/records.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace fleet {

/// Intents of panel mutations announced while the coordinator works through one burst of
/// requests, written together in one synced write (group commit) and handed back with their
/// ids. Plain state; single-threaded (owned by the coordinator actor).
class intent_queue {
public:
  /// Runs after the write with the intent's id, or the write's error.
  using continuation = std::function<void(caf::expected<uint64_t>)>;
  /// Writes every intent of a batch at once and fills in their ids.
  using writer = std::function<caf::error(std::vector<intent_record>&)>;

  /// Queues `intent`. Returns true when it is the first since the last flush: the caller then
  /// arranges one flush, which everything queued meanwhile joins.
  bool add(intent_record intent, continuation then);

  /// Writes everything queued with one call of `write`, then runs the continuations in the
  /// order the intents were added. Intents that the continuations add wait for the next flush.
  void flush(const writer& write);

  [[nodiscard]] size_t size() const noexcept { return queued_.size(); }

private:
  std::vector<std::pair<intent_record, continuation>> queued_;
};

} // namespace fleet
