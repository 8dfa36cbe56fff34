// The gen2 API (v3.1+): clients are keyed by email under `/panel/api/clients/*`, bodies are
// JSON objects and inbound settings come back as objects (3x-ui-api.md §6).

#include "common/panel/panel_url.hpp"
#include "common/panel/xui_adapter.hpp"

namespace fleet {

namespace {

using json = nlohmann::json;

class gen2 final : public xui_adapter {
public:
  api_generation generation() const noexcept override { return api_generation::gen2; }

  // `clients/add` takes one client (for several inbounds); `bulkCreate` would take many but
  // answers per-client outcomes in a shape of its own.
  std::vector<xui_request> add_clients(int64_t inbound_id, const std::string& protocol,
                                       const std::vector<client_order>& clients) const override {
    std::vector<xui_request> out;
    for (const auto& c : clients)
      out.push_back(
          {"POST", "panel/api/clients/add",
           json{{"client", client_json(c, protocol)}, {"inboundIds", {inbound_id}}}.dump(),
           body_kind::json, "add clients"});
    return out;
  }

  xui_request update_client(const client_ref& ref, const std::string& protocol,
                            const client_order& client) const override {
    return {"POST", "panel/api/clients/update/" + url_encode(ref.email),
            client_json(client, protocol).dump(), body_kind::json, "update client"};
  }

  xui_request delete_client(const client_ref& ref) const override {
    return {"POST", "panel/api/clients/del/" + url_encode(ref.email), "", body_kind::json,
            "delete client"};
  }

  xui_request client_traffic(const std::string& email) const override {
    return {"GET", "panel/api/clients/traffic/" + url_encode(email), "", body_kind::none,
            "read client traffic"};
  }

  xui_request online_clients() const override {
    return {"POST", "panel/api/clients/onlines", "", body_kind::form, "read online clients"};
  }
};

} // namespace

const xui_adapter& gen2_adapter() {
  static const gen2 instance;
  return instance;
}

} // namespace fleet
