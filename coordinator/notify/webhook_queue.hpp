#pragma once

#include "coordinator/events/event_log.hpp"

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace fleet {

/// What one webhook still has to deliver, in `seq` order, and how far it got: the cursor is
/// the highest seq such that every event up to it was delivered or is not for this webhook.
/// Plain state, owned by one webhook actor.
class webhook_queue {
public:
  /// Starts after `cursor`; keeps events matching one of `patterns`.
  webhook_queue(std::vector<std::string> patterns, uint64_t cursor);

  /// Takes events read from the log after `read_to()`, oldest first.
  void add(const std::vector<event_record>& events);

  /// The next event to deliver; null when the queue is empty.
  [[nodiscard]] const event_record* head() const;

  /// The head was delivered: moves past it (and past the events after it that are not for
  /// this webhook).
  void delivered();

  [[nodiscard]] uint64_t cursor() const;

  /// Seq of the last event read from the log.
  [[nodiscard]] uint64_t read_to() const noexcept { return read_to_; }

private:
  std::vector<std::string> patterns_;
  std::deque<event_record> pending_;
  uint64_t read_to_;
};

} // namespace fleet
