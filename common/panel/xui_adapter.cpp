#include "common/panel/xui_adapter.hpp"

#include "common/panel/classify.hpp"
#include "common/panel/inbound_list.hpp"

namespace fleet {

xui_request xui_adapter::list_inbounds() const {
  return {"GET", "panel/api/inbounds/list", "", body_kind::none, "list inbounds"};
}

caf::expected<std::vector<panel_inbound>>
xui_adapter::parse_inbounds(const nlohmann::json& obj) const {
  return fleet::parse_inbounds(obj);
}

caf::expected<std::vector<panel_inbound>>
xui_adapter::read_inbounds(const http_response& answer) const {
  if (answer.transport_code == 0 && answer.status == 200)
    if (auto list = read_inbound_list(answer.body))
      return std::move(*list);
  auto obj = classify(answer, list_inbounds().what);
  if (!obj)
    return std::move(obj.error());
  return parse_inbounds(*obj);
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
