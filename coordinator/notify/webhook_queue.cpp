#include "coordinator/notify/webhook_queue.hpp"

#include "common/model/event_types.hpp"

namespace fleet {

webhook_queue::webhook_queue(std::vector<std::string> patterns, uint64_t cursor)
    : patterns_(std::move(patterns)), read_to_(cursor) {
  // nop
}

void webhook_queue::add(const std::vector<event_record>& events) {
  for (const auto& e : events) {
    if (e.seq <= read_to_)
      continue;
    read_to_ = e.seq;
    if (event_matches_any(patterns_, e.type))
      pending_.push_back(e);
  }
}

const event_record* webhook_queue::head() const {
  return pending_.empty() ? nullptr : &pending_.front();
}

void webhook_queue::delivered() {
  if (!pending_.empty())
    pending_.pop_front();
}

uint64_t webhook_queue::cursor() const {
  return pending_.empty() ? read_to_ : pending_.front().seq - 1;
}

} // namespace fleet
