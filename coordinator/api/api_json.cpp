#include "coordinator/api/api_json.hpp"

#include "common/json_reader.hpp"
#include "common/model/model_json.hpp"
#include "common/time_format.hpp"

#include <limits>
#include <regex>

namespace fleet {

namespace {

constexpr int64_t int_max = std::numeric_limits<int64_t>::max();
/// More source addresses than any device count a user has.
constexpr int64_t max_limit_ip = 10'000;

bool is_uuid(const std::string& s) {
  static const std::regex pattern{
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"};
  return std::regex_match(s, pattern);
}

std::string rfc3339_ms(int64_t ms) {
  return to_rfc3339(wall_time{std::chrono::milliseconds{ms}});
}

} // namespace

nlohmann::json server_json(const server_config& c, const server_view& v) {
  return {{"id", id_to_json(c.id)},
          {"name", c.name},
          {"host", c.host},
          {"port", c.port},
          {"base_path", c.base_path},
          {"region", c.region},
          {"priority", c.priority},
          {"max_clients", c.max_clients},
          {"weight", c.weight},
          {"enabled", c.enabled},
          {"state", to_string(v.health.state)},
          {"agent", c.agent.empty() ? nlohmann::json() : nlohmann::json(c.agent)},
          {"public_host", c.user_host()},
          {"health", to_json(v.health)},
          {"stats", to_json(v.stats)},
          {"evacuation", evacuation_json(v.evacuation)}};
}

nlohmann::json evacuation_json(const evacuation_status& x) {
  nlohmann::json due;
  if (x.due_at_ms > 0)
    due = to_rfc3339(wall_time{std::chrono::milliseconds{x.due_at_ms}});
  return {{"state", to_string(x.state)},
          {"moved", x.moved},
          {"pending", x.pending},
          {"held_back_because",
           x.held_back_because.empty() ? nlohmann::json() : nlohmann::json(x.held_back_because)},
          {"due_at", due},
          {"by_operator", x.by_operator},
          {"last_error", x.last_error.empty() ? nlohmann::json() : nlohmann::json(x.last_error)},
          {"stale_copies", x.stale_copies}};
}

nlohmann::json agent_json(const agent_status& x) {
  nlohmann::json since;
  if (x.since_ms > 0)
    since = to_rfc3339(wall_time{std::chrono::milliseconds{x.since_ms}});
  return {{"id", x.id},
          {"connected", x.connected},
          {"servers", x.servers},
          {"serving", x.serving},
          {"since", since},
          {"last_disconnect",
           x.last_disconnect.empty() ? nlohmann::json() : nlohmann::json(x.last_disconnect)}};
}

nlohmann::json client_json(const client_record& x, const std::string& subscription_base) {
  nlohmann::json url;
  if (!subscription_base.empty() && !x.sub_id.empty())
    url = subscription_base + "/sub/" + x.sub_id;
  return {{"email", x.email},
          {"user_id", x.user_id},
          {"uuid", x.uuid},
          {"sub_id", x.sub_id},
          {"server_id", id_to_json(x.server_id)},
          {"inbound_id", x.inbound_id},
          {"total_gb", x.total_gb},
          {"expiry_time_ms", x.expiry_time_ms},
          {"limit_ip", x.limit_ip},
          {"enable", x.enable},
          {"created_at", rfc3339_ms(x.created_at_ms)},
          {"moved_at", x.moved_at_ms > 0 ? nlohmann::json(rfc3339_ms(x.moved_at_ms)) : nullptr},
          {"subscription_url", url},
          {"limited", !x.enable           ? nlohmann::json("disabled")
                      : x.limited.empty() ? nlohmann::json()
                                          : nlohmann::json(x.limited)}};
}

nlohmann::json bytes_json(const byte_counts& x) {
  return {{"up", x.up}, {"down", x.down}, {"total", x.total()}};
}

nlohmann::json usage_series_json(const char* owner_key, const std::string& owner, int64_t from_ms,
                                 int64_t to_ms, const std::vector<usage_bucket>& buckets) {
  constexpr int64_t hour = 3'600'000;
  auto points = nlohmann::json::array();
  auto next = buckets.begin();
  for (auto at = from_ms; at < to_ms; at += hour) {
    byte_counts bytes;
    for (; next != buckets.end() && next->hour_ms < at + hour; ++next)
      if (next->hour_ms >= at) {
        bytes.up += next->bytes.up;
        bytes.down += next->bytes.down;
      }
    auto point = bytes_json(bytes);
    point["time"] = rfc3339_ms(at);
    points.push_back(std::move(point));
  }
  return {{owner_key, owner},
          {"step", "1h"},
          {"from", rfc3339_ms(from_ms)},
          {"to", rfc3339_ms(to_ms)},
          {"points", std::move(points)}};
}

nlohmann::json client_view_json(const client_view& x, const std::string& subscription_base) {
  auto out = client_json(x.record, subscription_base);
  out["state"] = to_string(x.server);
  auto by_server = nlohmann::json::object();
  for (const auto& [id, bytes] : x.account.usage.by_server)
    by_server[id] = bytes_json(bytes);
  out["usage"] = bytes_json(x.account.usage.total);
  out["usage"]["by_server"] = std::move(by_server);
  out["remaining_bytes"]
      = x.account.remaining_bytes ? nlohmann::json(*x.account.remaining_bytes) : nlohmann::json();
  if (x.usage) {
    out["traffic"] = {{"up", x.usage->up},
                      {"down", x.usage->down},
                      {"total", x.usage->up + x.usage->down},
                      {"last_online_ms", x.usage->last_online_ms},
                      {"enable", x.usage->enable}};
  } else {
    out["traffic"] = nullptr;
    if (!x.usage_error.empty())
      out["traffic_error"] = x.usage_error;
  }
  return out;
}

nlohmann::json selection_json(const selection& x) {
  return {{"server_id", id_to_json(x.server_id)},
          {"name", x.name},
          {"region", x.region},
          {"strategy", x.strategy},
          {"load", x.load}};
}

std::string email_problem(const std::string& email) {
  if (email.empty() || email.size() > 100)
    return "must be 1 to 100 characters long";
  for (char ch : email)
    if (auto c = static_cast<unsigned char>(ch);
        c <= ' ' || c == 0x7f || c == '/' || c == '\\' || c == '?' || c == '#' || c == '%')
      return "must not contain spaces, control characters or any of / \\ ? # %";
  return {};
}

field_problems read_create(const nlohmann::json& body, create_request& out) {
  field_problems problems;
  json_reader r{body, "", problems};
  if (!r.valid())
    return problems;
  r.id("user_id", out.user_id, true);
  r.string("email", out.email);
  r.string("uuid", out.uuid);
  r.string("sub_id", out.sub_id);
  r.number("total_gb", out.total_gb, 0.0, 1e9);
  r.integer("expiry_time_ms", out.expiry_time_ms, 0, int_max);
  r.integer("limit_ip", out.limit_ip, 0, max_limit_ip);
  r.id("server_id", out.server_id);
  if (r.has("criteria")) {
    auto more = read(body.at("criteria"), out.criteria, "criteria");
    problems.insert(problems.end(), more.begin(), more.end());
  }
  if (!out.email.empty())
    if (auto why = email_problem(out.email); !why.empty())
      r.fail("email", why);
  if (!out.uuid.empty() && !is_uuid(out.uuid))
    r.fail("uuid", "must be a UUID such as 3f0c1f5e-8d1a-4c55-9d6e-0b3c2a9d7e41");
  if (!out.sub_id.empty() && email_problem(out.sub_id).size() > 0)
    r.fail("sub_id", "must be 1 to 100 characters without spaces or / \\ ? # %");
  return problems;
}

field_problems read_patch(const nlohmann::json& body, client_patch& out) {
  field_problems problems;
  json_reader r{body, "", problems};
  if (!r.valid())
    return problems;
  r.number("total_gb", out.total_gb, 0.0, 1e9);
  r.integer("expiry_time_ms", out.expiry_time_ms, 0, int_max);
  r.integer("limit_ip", out.limit_ip, 0, max_limit_ip);
  if (r.has("enable")) {
    bool enable = true;
    r.boolean("enable", enable);
    out.enable = enable;
  }
  if (problems.empty() && !out.total_gb && !out.expiry_time_ms && !out.limit_ip && !out.enable)
    problems.push_back({field_problem::severity::error, "",
                        "nothing to change: give total_gb, expiry_time_ms, limit_ip or enable"});
  return problems;
}

field_problems read_renewal(const nlohmann::json& body, renewal& out) {
  // A petabyte and a century bound what a plan can sell.
  constexpr double max_gb = 1e6;
  constexpr int64_t max_days = 36'500;
  constexpr int64_t max_time_ms = 4'102'444'800'000; // 2100-01-01
  field_problems problems;
  json_reader r{body, "", problems};
  if (!r.valid())
    return problems;
  r.number("add_gb", out.add_gb, 0.0, max_gb);
  r.number("set_total_gb", out.set_total_gb, 0.0, max_gb);
  r.integer("extend_days", out.extend_days, 1, max_days);
  r.integer("set_expiry_time_ms", out.set_expiry_time_ms, 0, max_time_ms);
  r.boolean("reset_usage", out.reset_usage);
  auto refuse = [&](const char* field, const char* why) {
    problems.push_back({field_problem::severity::error, field, why});
  };
  if (out.add_gb && out.set_total_gb)
    refuse("add_gb", "give add_gb or set_total_gb, not both");
  if (out.extend_days && out.set_expiry_time_ms)
    refuse("extend_days", "give extend_days or set_expiry_time_ms, not both");
  if (problems.empty() && !out.add_gb && !out.set_total_gb && !out.extend_days
      && !out.set_expiry_time_ms && !out.reset_usage)
    refuse("", "nothing to renew: give add_gb, set_total_gb, extend_days, set_expiry_time_ms "
               "or reset_usage");
  return problems;
}

} // namespace fleet
