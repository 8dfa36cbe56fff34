// The panel's API routes per profile (3x-ui-api.md §5 classic, §6 gen2).

#include "tools/fake_xui/panel_host.hpp"
#include "tools/fake_xui/reply.hpp"

namespace fleet::fake {

namespace {

constexpr const char* went_wrong = "Something went wrong";

/// Replies to a mutation: success text, or "<context> (<error>)".
void reply_outcome(httplib::Response& res, const std::string& error, const std::string& ok_msg,
                   const char* context = went_wrong) {
  if (error.empty())
    reply_envelope(res, true, ok_msg);
  else
    reply_envelope(res, false, std::string{context} + " (" + error + ")");
}

/// Reads `settings` of addClient/updateClient: a JSON string holding `{"clients": [...]}`.
/// Returns the clients, or replies (binding error or the reference's 500) and returns nothing.
std::optional<nlohmann::json> read_settings_clients(const httplib::Request& req,
                                                    httplib::Response& res,
                                                    const char* bind_context) {
  auto settings = body_field(req, "settings");
  if (settings && !settings->is_string()) {
    reply_envelope(res, false,
                   std::string{bind_context}
                       + " (json: cannot unmarshal object into Go struct field "
                         "Inbound.settings of type string)");
    return std::nullopt;
  }
  auto parsed = nlohmann::json::parse(settings ? settings->get<std::string>() : "", nullptr, false);
  if (!parsed.is_object() || !parsed.contains("clients") || !parsed["clients"].is_array()) {
    // The reference panics on a settings text without a clients array.
    reply_empty(res, 500);
    return std::nullopt;
  }
  return parsed["clients"];
}

std::optional<int64_t> inbound_id_field(const httplib::Request& req) {
  auto id = body_field(req, "id");
  if (!id)
    return std::nullopt;
  if (id->is_number_integer())
    return id->get<int64_t>();
  if (id->is_string())
    return parse_id(id->get<std::string>());
  return std::nullopt;
}

} // namespace

bool panel_host::route_server(const httplib::Request& req, httplib::Response& res,
                              const std::vector<std::string>& parts) {
  std::vector<std::string> args;
  if (req.method == "GET" && match(parts, "panel/api/server/status", args)) {
    count("GET panel/api/server/status");
    auto running = fault_.mode != "xray_stopped";
    ojson status{
        {"cpu", 3.52},
        {"cpuCores", 2},
        {"logicalPro", 4},
        {"cpuSpeedMhz", 2294.608},
        {"mem", {{"current", 612368384}, {"total", 4108247040}}},
        {"swap", {{"current", 0}, {"total", 2147479552}}},
        {"disk", {{"current", 8215760896}, {"total", 41222021120}}},
        {"xray",
         {{"state", running ? "running" : "stop"},
          {"errorMsg", running ? "" : "xray stopped by fault injection"},
          {"version", "25.10.31"}}},
        {"uptime", 864215},
        {"loads", {0.08, 0.05, 0.01}},
        {"tcpCount", 57},
        {"udpCount", 6},
        {"netIO", {{"up", 20480}, {"down", 40960}}},
        {"netTraffic", {{"sent", 96301547520}, {"recv", 98813440000}}},
        {"publicIP", {{"ipv4", "203.0.113.10"}, {"ipv6", "N/A"}}},
        {"appStats", {{"threads", 31}, {"mem", 42467592}, {"uptime", 86400}}},
    };
    if (options_.profile == api_profile::gen2) {
      status["panelVersion"] = "3.6.0";
      status["panelGuid"] = "fake-" + options_.name;
    }
    reply_envelope(res, true, "", status);
    return true;
  }
  if (req.method == "GET" && match(parts, "panel/api/server/getNewUUID", args)) {
    count("GET panel/api/server/getNewUUID");
    reply_envelope(res, true, "", {{"uuid", panel_.new_uuid()}});
    return true;
  }
  return false;
}

bool panel_host::route_inbounds(const httplib::Request& req, httplib::Response& res,
                                const std::vector<std::string>& parts) {
  std::vector<std::string> args;
  auto gen2 = options_.profile == api_profile::gen2;
  if (req.method == "GET" && match(parts, "panel/api/inbounds/list", args)) {
    count("GET panel/api/inbounds/list");
    auto list = ojson::array();
    for (const auto& in : panel_.inbounds())
      list.push_back(panel_.inbound_json(in, true));
    reply_envelope(res, true, "", list);
    return true;
  }
  if (req.method == "GET" && match(parts, "panel/api/inbounds/get/:id", args)) {
    count("GET panel/api/inbounds/get/:id");
    auto id = parse_id(args[0]);
    if (!id) {
      reply_envelope(res, false, " (strconv.Atoi: parsing \"" + args[0] + "\": invalid syntax)");
    } else if (const auto* in = panel_.find_inbound(*id)) {
      reply_envelope(res, true, "", panel_.inbound_json(*in, gen2));
    } else {
      reply_envelope(res, false, "Obtain (record not found)");
    }
    return true;
  }
  return false;
}

bool panel_host::route_classic_clients(const httplib::Request& req, httplib::Response& res,
                                       const std::vector<std::string>& parts) {
  std::vector<std::string> args;
  if (req.method == "POST" && match(parts, "panel/api/inbounds/addClient", args)) {
    fake_panel::client_write write;
    if (read_classic_add(req, res, write)) {
      panel_.write_clients(write);
      reply_envelope(res, true, classic_add_done);
    }
    return true;
  }
  if (req.method == "POST" && match(parts, "panel/api/inbounds/updateClient/:key", args)) {
    count("POST panel/api/inbounds/updateClient/:key");
    auto clients = read_settings_clients(req, res, "Inbound client has been updated.");
    if (!clients)
      return true;
    if (clients->empty()) {
      reply_empty(res, 500);
      return true;
    }
    auto id = inbound_id_field(req).value_or(0);
    reply_outcome(res, panel_.update_client(id, args[0], (*clients)[0]),
                  "Inbound client has been updated.");
    return true;
  }
  if (req.method == "POST" && match(parts, "panel/api/inbounds/:id/delClient/:key", args)) {
    count("POST panel/api/inbounds/:id/delClient/:key");
    reply_outcome(res, panel_.delete_client(parse_id(args[0]).value_or(0), args[1], false),
                  "Inbound client has been deleted.");
    return true;
  }
  if (req.method == "POST"
      && match(parts, "panel/api/inbounds/:id/delClientByEmail/:email", args)) {
    count("POST panel/api/inbounds/:id/delClientByEmail/:email");
    auto id = parse_id(args[0]);
    if (!id) {
      reply_envelope(res, false,
                     "Invalid inbound ID (strconv.Atoi: parsing \"" + args[0]
                         + "\": invalid syntax)");
      return true;
    }
    reply_outcome(res, panel_.delete_client(*id, args[1], true), "Client deleted successfully",
                  "Failed to delete client by email");
    return true;
  }
  if (req.method == "GET" && match(parts, "panel/api/inbounds/getClientTraffics/:email", args)) {
    count("GET panel/api/inbounds/getClientTraffics/:email");
    if (const auto* t = panel_.find_traffic(args[0]))
      reply_envelope(res, true, "", panel_.traffic_json(*t));
    else
      reply_envelope(res, false,
                     "Error getting traffics. (Inbound Not Found For Email: " + args[0] + "\n)");
    return true;
  }
  if (req.method == "GET" && match(parts, "panel/api/inbounds/getClientTrafficsById/:id", args)) {
    count("GET panel/api/inbounds/getClientTrafficsById/:id");
    auto list = ojson::array();
    for (const auto* t : panel_.traffic_by_uuid(args[0]))
      list.push_back(panel_.traffic_json(*t));
    reply_envelope(res, true, "", list);
    return true;
  }
  if (req.method == "POST"
      && match(parts, "panel/api/inbounds/:id/resetClientTraffic/:email", args)) {
    count("POST panel/api/inbounds/:id/resetClientTraffic/:email");
    reply_outcome(res, panel_.reset_traffic(args[1]), "Traffic has been reset.");
    return true;
  }
  if (req.method == "POST" && match(parts, "panel/api/inbounds/onlines", args)) {
    count("POST panel/api/inbounds/onlines");
    const auto& online = panel_.online();
    reply_envelope(res, true, "", online ? ojson(*online) : ojson(nullptr));
    return true;
  }
  if (req.method == "POST" && match(parts, "panel/api/inbounds/lastOnline", args)) {
    count("POST panel/api/inbounds/lastOnline");
    reply_envelope(res, true, "", panel_.last_online_json());
    return true;
  }
  return false;
}

bool panel_host::read_classic_add(const httplib::Request& req, httplib::Response& res,
                                  fake_panel::client_write& write, bool snapshot) {
  count("POST panel/api/inbounds/addClient");
  auto clients = read_settings_clients(req, res, classic_add_done);
  if (!clients)
    return false;
  auto id = inbound_id_field(req).value_or(0);
  auto error = panel_.read_add_clients(id, std::move(*clients), write, snapshot);
  if (!error.empty())
    reply_outcome(res, error, classic_add_done);
  return error.empty();
}

bool panel_host::route_gen2_clients(const httplib::Request& req, httplib::Response& res,
                                    const std::vector<std::string>& parts) {
  std::vector<std::string> args;
  auto json_body = [&]() { return nlohmann::json::parse(req.body, nullptr, false); };
  if (req.method == "GET" && match(parts, "panel/api/clients/list", args)) {
    count("GET panel/api/clients/list");
    reply_envelope(res, true, "", panel_.client_list_gen2());
    return true;
  }
  if (req.method == "GET" && match(parts, "panel/api/clients/get/:email", args)) {
    count("GET panel/api/clients/get/:email");
    auto record = panel_.client_record_gen2(args[0]);
    if (record.is_null())
      reply_envelope(res, false, "Obtain (record not found)");
    else
      reply_envelope(res, true, "", record);
    return true;
  }
  if (req.method == "GET" && match(parts, "panel/api/clients/traffic/:email", args)) {
    count("GET panel/api/clients/traffic/:email");
    const auto* t = panel_.find_traffic(args[0]);
    reply_envelope(res, true, "", t != nullptr ? panel_.traffic_json(*t) : ojson(nullptr));
    return true;
  }
  if (req.method == "POST" && match(parts, "panel/api/clients/add", args)) {
    count("POST panel/api/clients/add");
    auto body = json_body();
    if (!body.is_object() || !body.contains("client") || !body["client"].is_object()) {
      reply_envelope(res, false, "request body failed validation",
                     {{"message", "client is required"}});
      return true;
    }
    std::vector<int64_t> ids;
    for (const auto& id : body.value("inboundIds", nlohmann::json::array()))
      if (id.is_number_integer())
        ids.push_back(id.get<int64_t>());
    reply_outcome(res, panel_.add_client_gen2(body["client"], ids), classic_add_done);
    return true;
  }
  if (req.method == "POST" && match(parts, "panel/api/clients/update/:email", args)) {
    count("POST panel/api/clients/update/:email");
    auto body = json_body();
    if (!body.is_object() || (body.contains("id") && !body["id"].is_string())) {
      reply_envelope(res, false,
                     "Inbound client has been updated. (json: cannot unmarshal "
                     "number into Go struct field .id of type string)");
      return true;
    }
    reply_outcome(res, panel_.update_client_gen2(args[0], body),
                  "Inbound client has been updated.");
    return true;
  }
  if (req.method == "POST" && match(parts, "panel/api/clients/del/:email", args)) {
    count("POST panel/api/clients/del/:email");
    reply_outcome(res, panel_.delete_client_gen2(args[0]), "Inbound client has been deleted.");
    return true;
  }
  if (req.method == "POST" && match(parts, "panel/api/clients/resetTraffic/:email", args)) {
    count("POST panel/api/clients/resetTraffic/:email");
    reply_outcome(res, panel_.reset_traffic(args[0]), "Traffic has been reset.");
    return true;
  }
  if (req.method == "POST" && match(parts, "panel/api/clients/onlines", args)) {
    count("POST panel/api/clients/onlines");
    const auto& online = panel_.online();
    reply_envelope(res, true, "", online ? ojson(*online) : ojson::array());
    return true;
  }
  if (req.method == "POST" && match(parts, "panel/api/clients/lastOnline", args)) {
    count("POST panel/api/clients/lastOnline");
    reply_envelope(res, true, "", panel_.last_online_json());
    return true;
  }
  return false;
}

} // namespace fleet::fake
