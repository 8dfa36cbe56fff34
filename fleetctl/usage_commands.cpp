#include "fleetctl/usage_commands.hpp"

#include <ostream>
#include <regex>
#include <vector>

#include "fleetctl/client_view.hpp"
#include "fleetctl/commands.hpp"
#include "fleetctl/table.hpp"

namespace fleet::ctl {

namespace {

using json = nlohmann::json;

/// The value of `--name` as the coordinator takes a time: RFC 3339 or Unix milliseconds.
/// Anything else is reported (naming the option) and sets `bad`.
std::optional<std::string> time_option(context& c, const char* name, bool& bad) {
  auto v = c.cmd.option(name);
  if (!v)
    return std::nullopt;
  static const std::regex millis{"[0-9]+"};
  static const std::regex rfc3339{
      "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?"
      "([Zz]|[+-][0-9]{2}:[0-9]{2})"};
  if (std::regex_match(*v, millis) || std::regex_match(*v, rfc3339))
    return v;
  if (std::regex_match(*v, std::regex{"-[0-9]+"}))
    c.err << "fleetctl: --" << name << ": must not be negative, got \"" << *v << "\"\n";
  else
    c.err << "fleetctl: --" << name << ": expected an RFC 3339 time or Unix milliseconds, got \""
          << *v << "\"\n";
  bad = true;
  return std::nullopt;
}

/// Prints a client the coordinator answered with, as `client update` does.
int print_changed(context& c, const reply& r) {
  if (failed_with(c, r))
    return failed;
  return show(c, r.body, [&] { c.out << client_table({r.body}); });
}

} // namespace

int client_renew(context& c, const std::string& path) {
  bool bad = false;
  json body = json::object();
  if (auto gb = amount_option(c, "add-gb", bad))
    body["add_gb"] = *gb;
  if (auto gb = amount_option(c, "set-total-gb", bad))
    body["set_total_gb"] = *gb;
  if (auto days = count_option(c, "extend-days", bad))
    body["extend_days"] = *days;
  if (auto ms = count_option(c, "set-expiry-ms", bad))
    body["set_expiry_time_ms"] = *ms;
  if (c.cmd.flag("reset-usage"))
    body["reset_usage"] = true;
  if (bad)
    return usage_error;
  if (body.empty())
    return usage_problem(c, "client renew needs --add-gb, --set-total-gb, --extend-days, "
                            "--set-expiry-ms or --reset-usage");
  return print_changed(c, c.api.post(path + "/renew", body));
}

int client_reset_usage(context& c, const std::string& path) {
  return print_changed(c, c.api.post(path + "/reset-usage", json::object()));
}

int client_usage(context& c, const std::string& path) {
  bool bad = false;
  std::string query = "?step=1h";
  for (const auto* name : {"from", "to"})
    if (auto t = time_option(c, name, bad))
      query += std::string{"&"} + name + "=" + encode(*t);
  if (bad)
    return usage_error;
  auto r = c.api.get(path + "/usage" + query);
  if (failed_with(c, r))
    return failed;
  return show(c, r.body, [&] {
    std::vector<std::vector<std::string>> rows;
    int64_t sums[3] = {0, 0, 0};
    static const char* const columns[] = {"up", "down", "total"};
    const auto& points = field_of(r.body, "points");
    for (const auto& p : points.is_array() ? points : json::array()) {
      std::vector<std::string> row{text(field_of(p, "time"))};
      for (size_t i = 0; i < 3; ++i) {
        const auto& n = field_of(p, columns[i]);
        row.push_back(human_bytes(n));
        sums[i] += n.is_number_integer() ? n.get<int64_t>() : 0;
      }
      rows.push_back(std::move(row));
    }
    rows.push_back({"total", human_bytes(sums[0]), human_bytes(sums[1]), human_bytes(sums[2])});
    c.out << render_table({"HOUR", "UP", "DOWN", "TOTAL"}, rows);
  });
}

int user(context& c) {
  const auto& w = c.cmd.words;
  if (w.size() != 3 || w[1] != "show")
    return usage_problem(c, "user needs an action and an id: user show USER_ID");
  auto r = c.api.get("/api/v1/users/" + encode(w[2]));
  if (failed_with(c, r))
    return failed;
  return show(c, r.body, [&] {
    std::vector<json> clients;
    if (const auto& listed = field_of(r.body, "clients"); listed.is_array())
      clients.assign(listed.begin(), listed.end());
    const auto& usage = field_of(r.body, "usage");
    c.out << "user " << text(field_of(r.body, "user_id")) << ": " << clients.size()
          << (clients.size() == 1 ? " client" : " clients") << ", used "
          << human_bytes(field_of(usage, "total")) << " (up " << human_bytes(field_of(usage, "up"))
          << ", down " << human_bytes(field_of(usage, "down")) << ")\n";
    if (!clients.empty())
      c.out << client_table(clients);
  });
}

} // namespace fleet::ctl
