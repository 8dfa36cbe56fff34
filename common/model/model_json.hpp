#pragma once

#include "common/field_problem.hpp"
#include "common/model/criteria.hpp"
#include "common/model/health.hpp"
#include "common/model/stats.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace fleet {

// JSON forms of the domain model. Writers emit the original field names (plus extensions);
// readers accept what the writers emit, tolerate unknown fields, and report every wrong
// field as a `field_problem` located below `path`.

[[nodiscard]] nlohmann::json to_json(const server_health& x);
[[nodiscard]] nlohmann::json to_json(const server_stats& x);
[[nodiscard]] nlohmann::json to_json(const selection_criteria& x);

[[nodiscard]] field_problems read(const nlohmann::json& in, server_health& out,
                                  const std::string& path = "");
[[nodiscard]] field_problems read(const nlohmann::json& in, server_stats& out,
                                  const std::string& path = "");
[[nodiscard]] field_problems read(const nlohmann::json& in, selection_criteria& out,
                                  const std::string& path = "");

} // namespace fleet
