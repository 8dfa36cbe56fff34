#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace fleet {

/// The two clocks a component reads: the wall clock (Unix milliseconds, for timestamps that
/// people and other processes read) and the steady clock (for delays and alignment, never
/// set back). Code takes a `const clock&` instead of calling `std::chrono` directly so that
/// tests can drive time by hand.
///
/// Thread-safety: implementations may be read from any thread.
class clock {
public:
  virtual ~clock() = default;

  /// Unix time in milliseconds.
  [[nodiscard]] virtual int64_t wall_ms() const = 0;

  /// Monotonic time.
  [[nodiscard]] virtual std::chrono::steady_clock::time_point steady() const = 0;
};

/// The system's clocks. Stateless; `real_clock()` returns the one instance.
class system_clocks final : public clock {
public:
  [[nodiscard]] int64_t wall_ms() const override;
  [[nodiscard]] std::chrono::steady_clock::time_point steady() const override;
};

/// The system's clocks; lives as long as the process.
[[nodiscard]] const clock& real_clock();

/// The wall clock of `c` as a time point (for code that computes with calendar time).
[[nodiscard]] std::chrono::system_clock::time_point wall_now(const clock& c = real_clock());

/// Clocks that move only when told to (tests). Both start at the given points and advance
/// together.
class manual_clock final : public clock {
public:
  explicit manual_clock(int64_t wall_ms = 1'700'000'000'000,
                        std::chrono::steady_clock::time_point steady = {});

  [[nodiscard]] int64_t wall_ms() const override;
  [[nodiscard]] std::chrono::steady_clock::time_point steady() const override;

  /// Moves both clocks forward by `by`.
  void advance(std::chrono::milliseconds by);

private:
  int64_t wall_start_;
  std::chrono::steady_clock::time_point steady_start_;
  std::atomic<int64_t> elapsed_ms_{0};
};

} // namespace fleet
