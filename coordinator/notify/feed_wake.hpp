#pragma once

#include "coordinator/events/event_feed.hpp"

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/local_actor.hpp>
#include <caf/send.hpp>
#include <caf/weak_intrusive_ptr.hpp>

#include <cstdint>

namespace fleet {

/// Sends `Atom` to `self` once the feed has an event after `seq` (or closes). Holds `self`
/// weakly: an actor that ended in the meantime is not kept alive nor woken.
template <class Atom>
void wake_after(caf::local_actor* self, event_feed& feed, uint64_t seq) {
  auto weak = caf::actor_cast<caf::weak_actor_ptr>(self);
  feed.on_after(seq, [weak] {
    if (auto strong = weak.lock())
      caf::anon_send(caf::actor_cast<caf::actor>(strong), Atom{});
  });
}

} // namespace fleet
