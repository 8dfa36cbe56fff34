#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace fleet {

/// Token buckets per source address: `rate` requests per second on average, bursts up to
/// `burst`. A rate of 0 admits everything. At most `max_addresses` buckets are kept; when
/// more addresses come, the buckets that have refilled (their addresses quiet for a while)
/// are dropped first, so a flood of addresses cannot grow memory without bound.
///
/// Thread-safety: `admit` may be called from any thread.
class address_rate_limiter {
public:
  using clock = std::chrono::steady_clock;

  address_rate_limiter(double rate, double burst, size_t max_addresses = 65'536)
      : rate_(rate), burst_(std::max(1.0, burst)), max_(max_addresses) {}

  /// Takes one request of `address` at `now`; returns 0 when admitted, otherwise how many
  /// milliseconds until the next request would be.
  [[nodiscard]] long admit(const std::string& address, clock::time_point now) {
    if (rate_ <= 0)
      return 0;
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = buckets_.find(address);
    if (i == buckets_.end()) {
      if (buckets_.size() >= max_)
        prune(now);
      i = buckets_.emplace(address, bucket{burst_, now}).first;
    }
    auto& b = i->second;
    refill(b, now);
    if (b.tokens >= 1.0) {
      b.tokens -= 1.0;
      return 0;
    }
    return static_cast<long>(std::ceil((1.0 - b.tokens) / rate_ * 1000.0));
  }

  [[nodiscard]] size_t tracked() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return buckets_.size();
  }

private:
  struct bucket {
    double tokens;
    clock::time_point last;
  };

  void refill(bucket& b, clock::time_point now) const {
    auto elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(burst_, b.tokens + std::max(0.0, elapsed) * rate_);
    b.last = now;
  }

  /// Drops full buckets; when none is full, the whole table (every address starts afresh).
  void prune(clock::time_point now) {
    for (auto i = buckets_.begin(); i != buckets_.end();) {
      refill(i->second, now);
      i = i->second.tokens >= burst_ ? buckets_.erase(i) : std::next(i);
    }
    if (buckets_.size() >= max_)
      buckets_.clear();
  }

  mutable std::mutex mtx_;
  double rate_;
  double burst_;
  size_t max_;
  std::unordered_map<std::string, bucket> buckets_;
};

} // namespace fleet
