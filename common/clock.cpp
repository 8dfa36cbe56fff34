#include "common/clock.hpp"

namespace fleet {

int64_t system_clocks::wall_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::chrono::steady_clock::time_point system_clocks::steady() const {
  return std::chrono::steady_clock::now();
}

std::chrono::system_clock::time_point wall_now(const clock& c) {
  return std::chrono::system_clock::time_point{std::chrono::milliseconds{c.wall_ms()}};
}

const clock& real_clock() {
  static const system_clocks instance;
  return instance;
}

manual_clock::manual_clock(int64_t wall_ms, std::chrono::steady_clock::time_point steady)
    : wall_start_(wall_ms), steady_start_(steady) {
  // nop
}

int64_t manual_clock::wall_ms() const {
  return wall_start_ + elapsed_ms_.load();
}

std::chrono::steady_clock::time_point manual_clock::steady() const {
  return steady_start_ + std::chrono::milliseconds{elapsed_ms_.load()};
}

void manual_clock::advance(std::chrono::milliseconds by) {
  elapsed_ms_ += by.count();
}

} // namespace fleet
