#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <mutex>
#include <vector>

namespace fleet {

/// Token buckets, one per API token: `rate` requests per second on average, bursts up to
/// `max(1, rate)` requests. A rate of 0 admits everything.
///
/// Thread-safety: `admit` may be called from any thread.
class rate_limiter {
public:
  using clock = std::chrono::steady_clock;

  rate_limiter(double rate, size_t keys) : rate_(rate), burst_(std::max(1.0, rate)) {
    buckets_.assign(keys, bucket{burst_, clock::time_point{}});
  }

  /// Takes one request of `key` at `now`; returns 0 when admitted, otherwise how many
  /// milliseconds until the next request would be.
  [[nodiscard]] long admit(size_t key, clock::time_point now) {
    if (rate_ <= 0 || key >= buckets_.size())
      return 0;
    std::lock_guard<std::mutex> guard{mtx_};
    auto& b = buckets_[key];
    if (b.last != clock::time_point{}) {
      auto elapsed = std::chrono::duration<double>(now - b.last).count();
      b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    }
    b.last = now;
    if (b.tokens >= 1.0) {
      b.tokens -= 1.0;
      return 0;
    }
    return static_cast<long>(std::ceil((1.0 - b.tokens) / rate_ * 1000.0));
  }

private:
  struct bucket {
    double tokens;
    clock::time_point last;
  };

  std::mutex mtx_;
  double rate_;
  double burst_;
  std::vector<bucket> buckets_;
};

} // namespace fleet
