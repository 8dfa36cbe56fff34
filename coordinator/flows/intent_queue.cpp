#include "coordinator/flows/intent_queue.hpp"

namespace fleet {

bool intent_queue::add(intent_record intent, continuation then) {
  queued_.emplace_back(std::move(intent), std::move(then));
  return queued_.size() == 1;
}

void intent_queue::flush(const writer& write) {
  auto batch = std::move(queued_);
  queued_.clear();
  if (batch.empty())
    return;
  std::vector<intent_record> intents;
  intents.reserve(batch.size());
  for (auto& queued : batch)
    intents.push_back(std::move(queued.first));
  auto err = write(intents);
  for (size_t i = 0; i < batch.size(); ++i) {
    if (err)
      batch[i].second(err);
    else
      batch[i].second(intents[i].id);
  }
}

} // namespace fleet
