#pragma once

// What one component's logger writes during a test, for assertions on log lines.

#include "common/logging.hpp"

#include <spdlog/sinks/ringbuffer_sink.h>

#include <algorithm>
#include <memory>
#include <string>

namespace fleet::test {

/// Keeps the last lines the logger of `component` writes while it lives. Attach it before
/// the actors that log start, and let it go after they are quiet: the logger's list of sinks
/// is not guarded.
class log_capture {
public:
  explicit log_capture(const std::string& component)
      : log_(log_for(component)), sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(200)) {
    sink_->set_pattern("[%n] %v");
    log_->sinks().push_back(sink_);
  }

  ~log_capture() {
    auto& sinks = log_->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
  }

  log_capture(const log_capture&) = delete;
  log_capture& operator=(const log_capture&) = delete;

  /// Every line kept so far, one per line.
  [[nodiscard]] std::string text() const {
    std::string out;
    for (const auto& line : sink_->last_formatted())
      out += line;
    return out;
  }

private:
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

} // namespace fleet::test
