// The classic API (v1.5 … v3.0.2): clients live inside an inbound and are changed through
// `/panel/api/inbounds/*` with the inbound's `settings` as a JSON string (3x-ui-api.md §5).

#include "common/panel/panel_url.hpp"
#include "common/panel/xui_adapter.hpp"

namespace fleet {

namespace {

using json = nlohmann::json;

/// `{"id": inbound, "settings": "{\"clients\": [...]}"}`: JSON bodies (settings as a
/// string) work on every classic version and have no form-size limits in front of them.
std::string settings_body(int64_t inbound_id, json clients) {
  return json{{"id", inbound_id}, {"settings", json{{"clients", std::move(clients)}}.dump()}}
      .dump();
}

class classic final : public xui_adapter {
public:
  api_generation generation() const noexcept override { return api_generation::classic; }

  std::vector<xui_request> add_clients(int64_t inbound_id, const std::string& protocol,
                                       const std::vector<client_order>& clients) const override {
    if (clients.empty())
      return {};
    auto list = json::array();
    for (const auto& c : clients)
      list.push_back(client_json(c, protocol));
    return {{"POST", "panel/api/inbounds/addClient", settings_body(inbound_id, std::move(list)),
             body_kind::json, "add clients"}};
  }

  xui_request update_client(const client_ref& ref, const std::string& protocol,
                            const client_order& client) const override {
    return {"POST", "panel/api/inbounds/updateClient/" + url_encode(ref.key),
            settings_body(ref.inbound_id, json::array({client_json(client, protocol)})),
            body_kind::json, "update client"};
  }

  xui_request delete_client(const client_ref& ref) const override {
    return {"POST",
            "panel/api/inbounds/" + std::to_string(ref.inbound_id) + "/delClient/"
                + url_encode(ref.key),
            "", body_kind::form, "delete client"};
  }

  xui_request client_traffic(const std::string& email) const override {
    return {"GET", "panel/api/inbounds/getClientTraffics/" + url_encode(email), "", body_kind::none,
            "read client traffic"};
  }

  xui_request online_clients() const override {
    return {"POST", "panel/api/inbounds/onlines", "", body_kind::form, "read online clients"};
  }
};

} // namespace

const xui_adapter& classic_adapter() {
  static const classic instance;
  return instance;
}

} // namespace fleet
