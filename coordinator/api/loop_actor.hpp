#pragma once

// An actor that lives on one event loop of the HTTP server, so route handlers can ask the
// coordinator without waiting: requests it sends are answered on its loop, where the
// handler's continuation then runs. A CAF actor companion, the 0.17 way to join an actor
// system from a foreign event loop.

#include "coordinator/api/http/http_server.hpp"

#include <caf/actor_companion.hpp>
#include <caf/actor_system.hpp>
#include <caf/mixin/requester.hpp>
#include <caf/scoped_execution_unit.hpp>

namespace fleet {

/// CAF's actor companion, which can also send requests and handle their answers.
class loop_companion
    : public caf::extend<caf::actor_companion, loop_companion>::with<caf::mixin::requester> {
public:
  using super = caf::extend<caf::actor_companion, loop_companion>::with<caf::mixin::requester>;
  explicit loop_companion(caf::actor_config& cfg) : super(cfg) {}
};

} // namespace fleet

namespace caf {
template <>
class behavior_type_of<fleet::loop_companion> {
public:
  using type = behavior;
};
} // namespace caf

namespace fleet {

/// Thread-safety: made before the loop runs; `self` and `disconnect` only on its loop.
class loop_actor {
public:
  loop_actor(caf::actor_system& system, http_server& server, size_t loop);
  ~loop_actor();

  loop_actor(const loop_actor&) = delete;
  loop_actor& operator=(const loop_actor&) = delete;

  /// The actor, to send requests with (`self()->request(...).then(...)`).
  [[nodiscard]] loop_companion* self() const;

  /// Takes no more messages and drops the answers it still waits for.
  void disconnect();

private:
  caf::scoped_execution_unit unit_;
  caf::strong_actor_ptr companion_;
  bool connected_ = true;
};

} // namespace fleet
