#include "fleetctl/client_view.hpp"

#include <algorithm>
#include <ostream>

#include "fleetctl/table.hpp"

namespace fleet::ctl {

namespace {

using json = nlohmann::json;

/// Why the fleet limited a client ("quota", "expired", "disabled"), or "no".
std::string limited_text(const json& limited) {
  return limited.is_null() ? "no" : text(limited);
}

/// What is left of a quota; null means the client has none.
std::string remaining_text(const json& remaining) {
  return remaining.is_null() ? "unlimited" : human_bytes(remaining);
}

bool has_usage(const json& client) {
  return client.contains("usage") || client.contains("limited")
         || client.contains("remaining_bytes");
}

/// `{up, down, total}` with people's byte sizes.
json byte_counts(const json& counts) {
  return {{"up", human_bytes(field_of(counts, "up"))},
          {"down", human_bytes(field_of(counts, "down"))},
          {"total", human_bytes(field_of(counts, "total"))}};
}

} // namespace

json with_sub_id_masked(json client) {
  auto sub_id = client.value("sub_id", std::string{});
  if (sub_id.size() > 4) {
    auto masked = sub_id.substr(0, 4) + "…";
    client["sub_id"] = masked;
    if (client["subscription_url"].is_string()) {
      auto url = client["subscription_url"].get<std::string>();
      if (auto at = url.rfind(sub_id); at != std::string::npos)
        client["subscription_url"] = url.substr(0, at) + masked;
    }
  }
  return client;
}

std::string client_table(const std::vector<json>& clients) {
  auto with_usage = std::any_of(clients.begin(), clients.end(), has_usage);
  std::vector<std::string> header{"EMAIL", "USER", "SERVER", "GB", "EXPIRY_MS", "ENABLED"};
  if (with_usage)
    header.insert(header.end(), {"USED", "LEFT", "LIMITED"});
  header.emplace_back("UUID");
  std::vector<std::vector<std::string>> rows;
  for (const auto& x : clients) {
    std::vector<std::string> row{
        text(field_of(x, "email")),          text(field_of(x, "user_id")),
        text(field_of(x, "server_id")),      text(field_of(x, "total_gb")),
        text(field_of(x, "expiry_time_ms")), field_of(x, "enable") == true ? "yes" : "no"};
    if (with_usage) {
      row.push_back(human_bytes(field_of(field_of(x, "usage"), "total")));
      row.push_back(x.contains("remaining_bytes") ? remaining_text(field_of(x, "remaining_bytes"))
                                                  : "-");
      row.push_back(x.contains("limited") ? limited_text(field_of(x, "limited")) : "-");
    }
    row.push_back(text(field_of(x, "uuid")));
    rows.push_back(std::move(row));
  }
  return render_table(header, rows);
}

void print_client(context& c, const json& client) {
  auto fields = with_sub_id_masked(client);
  if (fields.contains("limited"))
    fields["limited"] = limited_text(fields["limited"]);
  if (fields.contains("remaining_bytes"))
    fields["remaining_bytes"] = remaining_text(fields["remaining_bytes"]);
  key_values(c, fields);
  if (const auto& traffic = field_of(client, "traffic"); traffic.is_object()) {
    c.out << "traffic:\n";
    key_values(c, traffic);
  }
  const auto& usage = field_of(client, "usage");
  if (!usage.is_object())
    return;
  c.out << "usage:\n";
  key_values(c, byte_counts(usage));
  const auto& by_server = field_of(usage, "by_server");
  if (!by_server.is_object() || by_server.empty())
    return;
  std::vector<std::vector<std::string>> rows;
  for (const auto& [id, counts] : by_server.items()) {
    auto bytes = byte_counts(counts);
    rows.push_back({id, text(bytes["up"]), text(bytes["down"]), text(bytes["total"])});
  }
  c.out << "usage by server:\n" << render_table({"SERVER", "UP", "DOWN", "TOTAL"}, rows);
}

} // namespace fleet::ctl
