#include "fleetctl/commands.hpp"

#include <cstdio>
#include <map>
#include <ostream>
#include <sstream>

#include "fleetctl/client_view.hpp"
#include "fleetctl/command_context.hpp"
#include "fleetctl/reload_command.hpp"
#include "fleetctl/table.hpp"
#include "fleetctl/usage_commands.hpp"

namespace fleet::ctl {

namespace {

using json = nlohmann::json;

std::string percent(const json& ratio) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%.0f%%", ratio.is_number() ? ratio.get<double>() * 100 : 0.0);
  return buf;
}

// -- servers --------------------------------------------------------------------------------

int servers(context& c) {
  auto r = c.api.get("/api/v1/servers");
  if (failed_with(c, r))
    return failed;
  return show(c, r.body, [&] {
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : r.body["servers"])
      rows.push_back({text(s["id"]), text(s["name"]), text(s["region"]), text(s["state"]),
                      percent(s["health"]["current_load"]), text(s["stats"]["total_clients"]),
                      text(s["max_clients"]), text(s["health"]["response_time_ms"]) + " ms",
                      text(s["health"]["last_error"])});
    c.out << render_table(
        {"ID", "NAME", "REGION", "STATE", "LOAD", "CLIENTS", "MAX", "RESPONSE", "LAST ERROR"},
        rows);
  });
}

int agents(context& c) {
  auto r = c.api.get("/api/v1/agents");
  if (failed_with(c, r))
    return failed;
  return show(c, r.body, [&] {
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : r.body["agents"]) {
      std::string serving;
      for (const auto& id : a["serving"])
        serving += (serving.empty() ? "" : ",") + text(id);
      rows.push_back(
          {text(a["id"]), a["connected"].get<bool>() ? "connected" : "disconnected",
           std::to_string(a["serving"].size()) + "/" + std::to_string(a["servers"].size()),
           text(a["since"]), text(a["last_disconnect"])});
    }
    c.out << render_table({"AGENT", "STATE", "SERVING", "SINCE", "LAST DISCONNECT"}, rows);
  });
}

int server(context& c) {
  const auto& w = c.cmd.words;
  if (w.size() != 3)
    return usage_problem(c, "server needs an action and an id: server "
                            "show|drain|enable|disable|evacuate ID");
  const auto& action = w[1];
  auto path = "/api/v1/servers/" + encode(w[2]);
  reply r;
  if (action == "show")
    r = c.api.get(path);
  else if (action == "drain" || action == "enable" || action == "disable" || action == "evacuate")
    r = c.api.post(path + "/" + action, json::object());
  else
    return usage_problem(c, "unknown server action \"" + action + "\"");
  if (failed_with(c, r))
    return failed;
  return show(c, r.body, [&] {
    if (action == "evacuate") {
      const auto& e = r.body["evacuation"];
      c.out << "server " << text(r.body["id"]) << " is " << text(r.body["state"]) << "; evacuation "
            << text(e["state"]) << ": " << text(e["moved"]) << " moved, " << text(e["pending"])
            << " pending\n";
      return;
    }
    if (action != "show") {
      c.out << "server " << text(r.body["id"]) << " is " << text(r.body["state"]) << '\n';
      return;
    }
    key_values(c, r.body);
    c.out << "health:\n";
    key_values(c, r.body["health"]);
    c.out << "stats:\n";
    key_values(c, r.body["stats"]);
    c.out << "evacuation:\n";
    key_values(c, r.body["evacuation"]);
  });
}

json criteria_of(context& c, bool& bad) {
  json criteria = json::object();
  if (auto v = c.cmd.option("user"))
    criteria["user_id"] = *v;
  if (auto v = c.cmd.option("region"))
    criteria["region"] = *v;
  if (auto v = c.cmd.option("strategy"))
    criteria["strategy"] = *v;
  if (auto v = c.cmd.option("prefer"))
    criteria["preferred_id"] = *v;
  if (auto v = number_option(c, "max-load", bad))
    criteria["max_load"] = *v;
  if (auto v = c.cmd.option("exclude")) {
    auto ids = json::array();
    std::stringstream in{*v};
    for (std::string id; std::getline(in, id, ',');)
      if (!id.empty())
        ids.push_back(id);
    criteria["exclude_ids"] = ids;
  }
  return criteria;
}

int select(context& c) {
  bool bad = false;
  auto criteria = criteria_of(c, bad);
  if (bad)
    return usage_error;
  auto r = c.api.post("/api/v1/select", criteria);
  if (failed_with(c, r))
    return failed;
  return show(c, r.body, [&] {
    c.out << "server " << text(r.body["server_id"]) << " (" << text(r.body["name"]) << ", "
          << (r.body["region"] == "" ? "no region" : text(r.body["region"])) << "), load "
          << percent(r.body["load"]) << ", chosen by " << text(r.body["strategy"]) << '\n';
  });
}

// -- clients --------------------------------------------------------------------------------

int client_add(context& c) {
  bool bad = false;
  json body = json::object();
  auto user = c.cmd.option("user");
  if (!user)
    return usage_problem(c, "client add needs --user USER_ID");
  body["user_id"] = *user;
  for (const auto& [flag, field] : std::map<std::string, std::string>{
           {"email", "email"}, {"uuid", "uuid"}, {"sub-id", "sub_id"}, {"server", "server_id"}})
    if (auto v = c.cmd.option(flag))
      body[field] = *v;
  if (auto gb = number_option(c, "gb", bad))
    body["total_gb"] = *gb;
  if (auto ms = number_option(c, "expiry-ms", bad))
    body["expiry_time_ms"] = static_cast<int64_t>(*ms);
  if (auto n = count_option(c, "limit-ip", bad))
    body["limit_ip"] = *n;
  auto criteria = criteria_of(c, bad);
  criteria.erase("user_id");
  if (bad)
    return usage_error;
  if (!criteria.empty())
    body["criteria"] = criteria;
  auto r = c.api.post("/api/v1/clients", body);
  if (failed_with(c, r))
    return failed;
  return show(c, r.body, [&] {
    c.out << "client " << text(r.body["email"]) << " created on server "
          << text(r.body["server_id"]) << " (uuid " << text(r.body["uuid"]) << ", sub_id "
          << text(with_sub_id_masked(r.body)["sub_id"]) << "; --json shows it whole)\n";
  });
}

int client_list(context& c) {
  std::string query = "?limit=" + c.cmd.option("limit").value_or("100");
  if (auto v = c.cmd.option("user"))
    query += "&user_id=" + encode(*v);
  if (auto v = c.cmd.option("server"))
    query += "&server_id=" + encode(*v);
  json all = json::array();
  std::string after;
  do {
    auto r
        = c.api.get("/api/v1/clients" + query + (after.empty() ? "" : "&after=" + encode(after)));
    if (failed_with(c, r))
      return failed;
    for (const auto& x : r.body["clients"])
      all.push_back(x);
    after
        = r.body["next"].is_string() && c.cmd.flag("all") ? r.body["next"].get<std::string>() : "";
  } while (!after.empty());
  return show(c, json{{"clients", all}},
              [&] { c.out << client_table(std::vector<json>(all.begin(), all.end())); });
}

int client(context& c) {
  const auto& w = c.cmd.words;
  if (w.size() < 2)
    return usage_problem(c, "client needs an action: add, show, list, update, delete, renew, "
                            "reset-usage or usage");
  const auto& action = w[1];
  if (action == "add")
    return client_add(c);
  if (action == "list")
    return client_list(c);
  if (w.size() != 3)
    return usage_problem(c, "client " + action + " needs an email");
  auto path = "/api/v1/clients/" + encode(w[2]);
  if (action == "show") {
    auto r = c.api.get(path);
    if (failed_with(c, r))
      return failed;
    return show(c, r.body, [&] { print_client(c, r.body); });
  }
  if (action == "update") {
    bool bad = false;
    json patch = json::object();
    if (auto gb = number_option(c, "gb", bad))
      patch["total_gb"] = *gb;
    if (auto ms = number_option(c, "expiry-ms", bad))
      patch["expiry_time_ms"] = static_cast<int64_t>(*ms);
    if (auto n = count_option(c, "limit-ip", bad))
      patch["limit_ip"] = *n;
    if (c.cmd.flag("enable"))
      patch["enable"] = true;
    if (c.cmd.flag("disable"))
      patch["enable"] = false;
    if (bad)
      return usage_error;
    if (patch.empty())
      return usage_problem(c, "client update needs --gb, --expiry-ms, --limit-ip, --enable or "
                              "--disable");
    auto r = c.api.patch(path, patch);
    if (failed_with(c, r))
      return failed;
    return show(c, r.body, [&] { c.out << client_table({r.body}); });
  }
  if (action == "renew")
    return client_renew(c, path);
  if (action == "reset-usage")
    return client_reset_usage(c, path);
  if (action == "usage")
    return client_usage(c, path);
  if (action == "delete") {
    auto r = c.api.remove(path);
    if (failed_with(c, r))
      return failed;
    return show(c, json{{"deleted", w[2]}}, [&] { c.out << "client " << w[2] << " deleted\n"; });
  }
  return usage_problem(c, "unknown client action \"" + action + "\"");
}

// -- fleet-wide -----------------------------------------------------------------------------

int health(context& c) {
  auto r = c.api.get("/api/v1/health");
  if (failed_with(c, r))
    return failed;
  return show(c, r.body, [&] {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [id, h] : r.body["servers"].items())
      rows.push_back({id, text(h["state"]), text(h["xray_state"]), text(h["panel_version"]),
                      text(h["response_time_ms"]) + " ms", text(h["consecutive_failures"]),
                      percent(h["availability"]), text(h["last_check"]), text(h["last_error"])});
    c.out << render_table({"SERVER", "STATE", "XRAY", "VERSION", "RESPONSE", "FAILS",
                           "AVAILABILITY", "LAST CHECK", "LAST ERROR"},
                          rows);
  });
}

int stats(context& c) {
  auto r = c.api.get("/api/v1/stats");
  if (failed_with(c, r))
    return failed;
  return show(c, r.body, [&] {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [id, s] : r.body["servers"].items())
      rows.push_back({id, text(s["total_clients"]), text(s["active_clients"]),
                      text(s["online_clients"]), text(s["max_clients"]),
                      text(s["load_percentage"]) + "%", text(s["bytes_transferred"])});
    const auto& t = r.body["totals"];
    rows.push_back({"total", text(t["total_clients"]), text(t["active_clients"]), "",
                    text(t["max_clients"]), "", text(t["bytes_transferred"])});
    c.out << render_table({"SERVER", "CLIENTS", "ACTIVE", "ONLINE", "MAX", "LOAD", "BYTES"}, rows);
  });
}

void print_event(context& c, const json& e) {
  if (c.as_json) {
    c.out << e.dump() << '\n';
  } else {
    c.out << text(e["seq"]) << "  " << text(e["time"]) << "  " << text(e["type"]);
    if (e.contains("server_id"))
      c.out << "  server " << text(e["server_id"]);
    if (e.contains("email"))
      c.out << "  client " << text(e["email"]);
    if (!e["data"].empty())
      c.out << "  " << e["data"].dump();
    c.out << '\n';
  }
  c.out.flush();
}

int events(context& c) {
  auto after = c.cmd.option("after").value_or("0");
  auto r = c.api.get("/api/v1/events?after=" + encode(after)
                     + "&limit=" + c.cmd.option("limit").value_or("100"));
  if (failed_with(c, r))
    return failed;
  for (const auto& e : r.body["events"])
    print_event(c, e);
  if (!c.cmd.flag("follow"))
    return ok;
  auto last = r.body["next"].dump();
  auto broken = c.api.stream("/api/v1/events/stream?after=" + last, [&](const json& e) {
    print_event(c, e);
    return true;
  });
  if (broken) {
    c.err << "fleetctl: " << broken->message << '\n';
    return failed;
  }
  return ok;
}

} // namespace

const char* usage() {
  return R"(usage: fleetctl [--url URL] [--token TOKEN] [--json] COMMAND

Drives a fleet-coordinator through its HTTP API. URL and token also come from
FLEET_URL (default http://127.0.0.1:8080) and FLEET_API_TOKEN.

commands:
  servers                                  list servers with state and load
  agents                                   the agents, connected or not, and what they serve
  server show|drain|enable|disable ID      one server; change its operator state
  server evacuate ID                       move its clients to other servers (same uuid and
                                           sub_id), then delete them there
  select [--user U] [--region R] [--strategy S] [--max-load X] [--exclude a,b] [--prefer ID]
                                           which server a new user would get (creates nothing)
  client add --user U [--email E] [--gb N] [--expiry-ms MS] [--limit-ip N] [--server ID] [--region R]
                                           create a client on the best (or the given) server
  client show EMAIL                        a client with its traffic
  client list [--user U] [--server ID] [--limit N] [--all]
  client update EMAIL [--gb N] [--expiry-ms MS] [--limit-ip N] [--enable|--disable]
  client renew EMAIL [--add-gb N] [--set-total-gb N] [--extend-days N] [--set-expiry-ms MS]
        [--reset-usage]                    more quota or time, the usage zeroed if asked
  client reset-usage EMAIL                 zero the usage the fleet counted for a client
  client usage EMAIL [--from T] [--to T]   hourly usage; T is RFC 3339 or Unix ms
  client delete EMAIL
  user show USER_ID                        a bot user's clients and their usage together
  health                                   health of every server
  stats                                    clients and traffic of every server, with totals
  events [--after SEQ] [--limit N] [--follow]
                                           the event log; --follow keeps streaming
  reload                                   the coordinator reads its configuration file
                                           again (as SIGHUP does) and says what changed

exit status: 0 done, 1 the coordinator refused or could not be reached, 2 bad usage
)";
}

int run_command(const command_line& cmd, api_client& api, std::ostream& out, std::ostream& err) {
  context c{cmd, api, out, err, cmd.flag("json")};
  if (cmd.words.empty())
    return usage_problem(c, "no command given");
  static const std::map<std::string, int (*)(context&)> commands{
      {"servers", servers}, {"agents", agents}, {"server", server}, {"select", select},
      {"client", client},   {"user", user},     {"health", health}, {"stats", stats},
      {"events", events},   {"reload", reload}};
  auto found = commands.find(cmd.words.front());
  if (found == commands.end())
    return usage_problem(c, "unknown command \"" + cmd.words.front() + "\"");
  return found->second(c);
}

} // namespace fleet::ctl
