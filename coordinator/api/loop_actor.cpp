#include "coordinator/api/loop_actor.hpp"

#include <caf/atom.hpp>

namespace fleet {

loop_actor::loop_actor(caf::actor_system& system, http_server& server, size_t loop)
    : unit_(&system),
      companion_(caf::actor_cast<caf::strong_actor_ptr>(system.spawn<loop_companion>())) {
  auto* me = self();
  me->context(&unit_);
  // A behavior keeps the companion alive while no answer is awaited.
  me->become([](caf::ok_atom) {});
  me->on_enqueue([this, &server, loop](caf::mailbox_element_ptr element) {
    std::shared_ptr<caf::mailbox_element> message{std::move(element)};
    server.post(loop, [this, message] {
      if (connected_)
        self()->activate(&unit_, *message);
    });
  });
}

loop_actor::~loop_actor() {
  if (connected_)
    disconnect();
}

loop_companion* loop_actor::self() const {
  return static_cast<loop_companion*>(caf::actor_cast<caf::abstract_actor*>(companion_));
}

void loop_actor::disconnect() {
  connected_ = false;
  // What actor_companion::disconnect would do; CAF 0.17.6 declares it but does not define it.
  // Replacing the handler waits for one that runs on another thread.
  self()->on_enqueue({});
  self()->cleanup(caf::make_error(caf::exit_reason::user_shutdown), &unit_);
}

} // namespace fleet
