#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace fleet {

/// Sets the level of every component logger ("trace" ... "off") and the line format
/// `time [level] [component] message`. Call once at start-up; later calls change the level.
void init_logging(const std::string& level);

/// Returns the logger of `component` ("coordinator", "probe", "store", ...), creating it on
/// first use. Loggers are thread-safe. Messages never carry passwords, tokens, cookies or
/// CSRF tokens: log server ids and classified errors, never endpoints' credentials.
[[nodiscard]] std::shared_ptr<spdlog::logger> log_for(const std::string& component);

} // namespace fleet
