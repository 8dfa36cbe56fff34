#include "common/model/model_json.hpp"

#include "common/json_reader.hpp"

#include <limits>

namespace fleet {

namespace {

constexpr int64_t int_max = std::numeric_limits<int64_t>::max();
constexpr double huge = 1e300;

} // namespace

// -- server_health --------------------------------------------------------------------------

nlohmann::json to_json(const server_health& x) {
  return {
      {"server_id", id_to_json(x.server_id)},
      {"is_healthy", x.is_healthy},
      {"last_check", x.last_check ? nlohmann::json(to_rfc3339(*x.last_check)) : nlohmann::json()},
      {"response_time", format_duration(x.response_time)},
      {"response_time_ms", x.response_time.count()},
      {"error_count", x.error_count},
      {"current_load", x.current_load},
      {"active_clients", x.active_clients},
      {"state", to_string(x.state)},
      {"consecutive_failures", x.consecutive_failures},
      {"last_error", x.last_error},
      {"xray_state", x.xray_state},
      {"panel_version", x.panel_version},
      {"availability", x.availability},
      {"flags", x.flags},
  };
}

field_problems read(const nlohmann::json& in, server_health& out, const std::string& path) {
  field_problems problems;
  json_reader r{in, path, problems};
  r.id("server_id", out.server_id, true);
  r.boolean("is_healthy", out.is_healthy);
  if (r.has("last_check")) {
    std::string text;
    r.string("last_check", text);
    if (auto t = parse_rfc3339(text))
      out.last_check = *t;
    else if (!text.empty())
      r.fail("last_check", message_of(t.error()));
  }
  if (r.has("response_time_ms")) {
    int64_t ms = 0;
    r.integer("response_time_ms", ms, 0, int_max);
    out.response_time = millis{ms};
  } else {
    r.duration("response_time", out.response_time);
  }
  r.integer("error_count", out.error_count, 0, int_max);
  r.number("current_load", out.current_load, 0.0, huge);
  r.integer("active_clients", out.active_clients, 0, int_max);
  if (r.has("state")) {
    std::string name;
    r.string("state", name);
    if (auto s = parse_server_state(name))
      out.state = *s;
    else
      r.fail("state", "unknown state \"" + name + "\"");
  }
  r.integer("consecutive_failures", out.consecutive_failures, 0, int_max);
  r.string("last_error", out.last_error);
  r.string("xray_state", out.xray_state);
  r.string("panel_version", out.panel_version);
  r.number("availability", out.availability, 0.0, 1.0);
  if (r.has("flags")) {
    const auto& flags = in.at("flags");
    if (!flags.is_array())
      r.fail("flags", "expected an array of flag names, got " + json_type_name(flags));
    else
      for (const auto& f : flags)
        if (f.is_string())
          out.flags.push_back(f.get<std::string>());
  }
  return problems;
}

// -- server_stats ---------------------------------------------------------------------------

nlohmann::json to_json(const server_stats& x) {
  return {
      {"server_id", id_to_json(x.server_id)},
      {"total_clients", x.total_clients},
      {"active_clients", x.active_clients},
      {"online_clients", x.online_clients},
      {"max_clients", x.max_clients},
      {"load_percentage", x.load_percentage},
      {"bytes_transferred", x.bytes_transferred},
      {"connections_count", x.connections_count},
  };
}

field_problems read(const nlohmann::json& in, server_stats& out, const std::string& path) {
  field_problems problems;
  json_reader r{in, path, problems};
  r.id("server_id", out.server_id, true);
  r.integer("total_clients", out.total_clients, 0, int_max);
  r.integer("active_clients", out.active_clients, 0, int_max);
  r.integer("online_clients", out.online_clients, 0, int_max);
  r.integer("max_clients", out.max_clients, 0, int_max);
  r.number("load_percentage", out.load_percentage, 0.0, huge);
  r.integer("bytes_transferred", out.bytes_transferred, 0, int_max);
  r.integer("connections_count", out.connections_count, 0, int_max);
  return problems;
}

// -- selection_criteria ---------------------------------------------------------------------

nlohmann::json to_json(const selection_criteria& x) {
  nlohmann::json out = nlohmann::json::object();
  if (!x.user_id.empty())
    out["user_id"] = id_to_json(x.user_id);
  if (!x.region.empty())
    out["region"] = x.region;
  if (x.max_load)
    out["max_load"] = *x.max_load;
  if (!x.exclude_ids.empty()) {
    auto ids = nlohmann::json::array();
    for (const auto& id : x.exclude_ids)
      ids.push_back(id_to_json(id));
    out["exclude_ids"] = std::move(ids);
  }
  if (!x.preferred_id.empty())
    out["preferred_id"] = id_to_json(x.preferred_id);
  if (x.min_priority)
    out["min_priority"] = *x.min_priority;
  if (!x.strategy.empty())
    out["strategy"] = x.strategy;
  return out;
}

field_problems read(const nlohmann::json& in, selection_criteria& out, const std::string& path) {
  field_problems problems;
  json_reader r{in, path, problems};
  r.id("user_id", out.user_id);
  r.string("region", out.region);
  r.number("max_load", out.max_load, 0.0, 1.0);
  if (r.has("exclude_ids")) {
    const auto& ids = in.at("exclude_ids");
    if (!ids.is_array()) {
      r.fail("exclude_ids", "expected an array of server ids, got " + json_type_name(ids));
    } else {
      out.exclude_ids.clear();
      for (size_t i = 0; i < ids.size(); ++i) {
        if (auto id = id_from_json(ids[i]))
          out.exclude_ids.push_back(std::move(*id));
        else
          problems.push_back({field_problem::severity::error,
                              r.path_of("exclude_ids") + "[" + std::to_string(i) + "]",
                              "expected a server id, got " + json_type_name(ids[i])});
      }
    }
  }
  r.id("preferred_id", out.preferred_id);
  r.integer("min_priority", out.min_priority, std::numeric_limits<int64_t>::min(), int_max);
  r.string("strategy", out.strategy);
  return problems;
}

} // namespace fleet
