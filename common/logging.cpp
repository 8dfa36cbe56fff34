#include "common/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace fleet {

namespace {

std::mutex mtx;
spdlog::level::level_enum current = spdlog::level::info;

} // namespace

void init_logging(const std::string& level) {
  std::lock_guard<std::mutex> guard{mtx};
  current = spdlog::level::from_str(level);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e [%l] [%n] %v");
  spdlog::set_level(current);
  spdlog::flush_on(spdlog::level::info);
}

std::shared_ptr<spdlog::logger> log_for(const std::string& component) {
  std::lock_guard<std::mutex> guard{mtx};
  if (auto existing = spdlog::get(component))
    return existing;
  auto logger = spdlog::stderr_color_mt(component);
  logger->set_level(current);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e [%l] [%n] %v");
  logger->flush_on(spdlog::level::info);
  return logger;
}

} // namespace fleet
