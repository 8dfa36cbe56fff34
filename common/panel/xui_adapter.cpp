#include "common/panel/xui_adapter.hpp"

namespace fleet {

xui_request xui_adapter::list_inbounds() const {
  return {"GET", "panel/api/inbounds/list", "", body_kind::none, "list inbounds"};
}

caf::expected<std::vector<panel_inbound>>
xui_adapter::parse_inbounds(const nlohmann::json& obj) const {
  return fleet::parse_inbounds(obj);
}

caf::expected<client_usage> xui_adapter::parse_traffic(const nlohmann::json& obj) const {
  return fleet::parse_traffic(obj);
}

caf::expected<std::vector<std::string>> xui_adapter::parse_online(const nlohmann::json& obj) const {
  return parse_emails(obj);
}

const xui_adapter* adapter_for(api_generation g) {
  switch (g) {
  case api_generation::classic:
    return &classic_adapter();
  case api_generation::gen2:
    return &gen2_adapter();
  case api_generation::unknown:
    break;
  }
  return nullptr;
}

} // namespace fleet
