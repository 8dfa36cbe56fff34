#include "tools/fake_xui/worker_pool.hpp"

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace fleet::fake {

namespace {

class growing_pool : public httplib::TaskQueue {
public:
  explicit growing_pool(size_t max_threads) : max_threads_(max_threads) {
    // nop
  }

  growing_pool(const growing_pool&) = delete;
  growing_pool& operator=(const growing_pool&) = delete;

  ~growing_pool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      jobs_.push_back(std::move(fn));
      if (jobs_.size() > idle_ && threads_.size() < max_threads_ && !stopping_)
        threads_.emplace_back([this] { work(); });
    }
    cond_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (stopping_)
        return;
      stopping_ = true;
    }
    cond_.notify_all();
    // Only this thread touches `threads_` once `stopping_` is set.
    for (auto& t : threads_)
      t.join();
  }

private:
  void work() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock{mtx_};
        ++idle_;
        cond_.wait(lock, [this] { return !jobs_.empty() || stopping_; });
        --idle_;
        // Like httplib's own pool: tasks queued before the shutdown still run.
        if (jobs_.empty())
          return;
        fn = std::move(jobs_.front());
        jobs_.pop_front();
      }
      fn();
    }
  }

  const size_t max_threads_;
  std::mutex mtx_;
  std::condition_variable cond_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

} // namespace

httplib::TaskQueue* new_worker_pool(size_t max_threads) {
  return new growing_pool{max_threads};
}

} // namespace fleet::fake
