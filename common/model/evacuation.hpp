#pragma once

#include <cstdint>
#include <string>
#include <tuple>

namespace fleet {

/// Where the evacuation of one server stands, as the API shows it.
enum class evacuation_state {
  /// Nothing to move, nothing due.
  none,
  /// Failing, due for evacuation at `due_at_ms` unless it recovers first.
  waiting,
  /// Due, but the partition rule holds it back (`held_back_because`).
  held_back,
  /// Clients are being moved.
  evacuating,
  /// Every client that was on it has moved.
  finished,
};

[[nodiscard]] const char* to_string(evacuation_state s);

struct evacuation_status {
  evacuation_state state = evacuation_state::none;
  int64_t moved = 0;
  int64_t pending = 0;
  std::string held_back_because;
  int64_t due_at_ms = 0;
  /// Why the last attempt to move a client failed; empty when none did.
  std::string last_error;
  bool by_operator = false;
  /// Copies of moved clients still to be deleted from this server.
  int64_t stale_copies = 0;
};

[[nodiscard]] inline bool operator==(const evacuation_status& a, const evacuation_status& b) {
  auto fields = [](const evacuation_status& x) {
    return std::tie(x.state, x.moved, x.pending, x.held_back_because, x.due_at_ms, x.last_error,
                    x.by_operator, x.stale_copies);
  };
  return fields(a) == fields(b);
}

} // namespace fleet
