// The coordinator's side of a store that stops writing (disk full, read-only or failing file
// system): one log line and one event for each change, and the events held meanwhile.

#include "coordinator/coordinator_state.hpp"

#include <spdlog/spdlog.h>

namespace fleet {

void coordinator_state::store_changed() {
  if (db == nullptr)
    return;
  auto now = db->condition();
  if (now.changes == store_seen.changes)
    return;
  auto was = store_seen;
  store_seen = now;
  if (!now.writable) {
    ++metrics.store_outages;
    log->error("{}; until then mutations answer 503 store_unavailable and nothing is sent to "
               "a panel, while reads, selection, subscriptions and health checks go on",
               now.reason);
    // Held with the others until the store writes again.
    emit("store.unavailable", "", "", {{"reason", now.reason}});
    return;
  }
  // Stopped and resumed again before this was called: the outage is told all the same.
  if (was.writable) {
    ++metrics.store_outages;
    emit("store.unavailable", "", "", {{"reason", "for a moment"}});
  }
  auto down_ms = was.writable ? int64_t{0} : now.since_ms - was.since_ms;
  auto held = std::move(held_events);
  held_events.clear();
  auto dropped = dropped_events;
  dropped_events = 0;
  if (auto err = db->append_events(held)) {
    log->error("the state store writes again, but the {} events of the outage are lost: {}",
               held.size(), message_of(err));
  } else if (!held.empty()) {
    feed->published(held.back().seq);
  }
  log->info("the state store writes again after {:.1f} s; mutations are accepted again ({} "
            "events of the outage appended{})",
            static_cast<double>(down_ms) / 1000.0, held.size(),
            dropped > 0 ? ", " + std::to_string(dropped) + " more left out" : std::string{});
  emit("store.recovered", "", "",
       {{"unavailable_ms", down_ms}, {"held_events", held.size()}, {"dropped_events", dropped}});
}

} // namespace fleet
