#pragma once

// Compares two readings of one inbound list field by field: the fast reader
// (`read_inbound_list`) must give what `classify` + `parse_inbounds` give. Shared by the unit
// tests and the panel_inbounds fuzz target.

#include "common/panel/classify.hpp"
#include "common/panel/inbound_list.hpp"
#include "common/panel/xui_adapter.hpp"

#include <string>
#include <type_traits>
#include <vector>

namespace fleet::test {

/// The first field in which `a` and `b` differ ("inbound 0 client 3 up: 1 vs 2"), or "".
inline std::string inbound_difference(const std::vector<panel_inbound>& a,
                                      const std::vector<panel_inbound>& b) {
  if (a.size() != b.size())
    return "inbounds: " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
  auto differs = [](const std::string& where, const auto& x, const auto& y) -> std::string {
    if (x == y)
      return "";
    if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::string>)
      return where + ": '" + x + "' vs '" + y + "'";
    else
      return where + ": " + std::to_string(x) + " vs " + std::to_string(y);
  };
  for (size_t i = 0; i < a.size(); ++i) {
    const auto& x = a[i];
    const auto& y = b[i];
    auto at = "inbound " + std::to_string(i) + " ";
    for (const auto& d :
         {differs(at + "id", x.id, y.id), differs(at + "remark", x.remark, y.remark),
          differs(at + "protocol", x.protocol, y.protocol), differs(at + "port", x.port, y.port),
          differs(at + "enable", x.enable, y.enable), differs(at + "up", x.up, y.up),
          differs(at + "down", x.down, y.down), differs(at + "listen", x.listen, y.listen),
          differs(at + "settings", x.settings, y.settings),
          differs(at + "streamSettings", x.stream_settings, y.stream_settings),
          differs(at + "clients", x.clients.size(), y.clients.size())})
      if (!d.empty())
        return d;
    for (size_t j = 0; j < x.clients.size(); ++j) {
      const auto& c = x.clients[j];
      const auto& e = y.clients[j];
      auto in = at + "client " + std::to_string(j) + " ";
      for (const auto& d :
           {differs(in + "email", c.email, e.email), differs(in + "key", c.key, e.key),
            differs(in + "uuid", c.uuid, e.uuid), differs(in + "subId", c.sub_id, e.sub_id),
            differs(in + "enable", c.enable, e.enable),
            differs(in + "totalGB", c.total_bytes, e.total_bytes),
            differs(in + "expiryTime", c.expiry_time, e.expiry_time),
            differs(in + "up", c.up, e.up), differs(in + "down", c.down, e.down),
            differs(in + "lastOnline", c.last_online, e.last_online)})
        if (!d.empty())
          return d;
    }
  }
  return "";
}

/// What the fast reader got wrong about `body`: "" when it left the body undecided or gave
/// what `classify` + `parse_inbounds` give; also sets `*decided`.
inline std::string fast_reading_error(const std::string& body, bool* decided = nullptr) {
  auto fast = read_inbound_list(body);
  if (decided != nullptr)
    *decided = fast.has_value();
  if (!fast)
    return "";
  http_response r;
  r.status = 200;
  r.body = body;
  auto obj = classify(r, "list inbounds");
  if (!obj)
    return "the fast reader read an answer classify refuses: " + message_of(obj.error());
  auto slow = parse_inbounds(*obj);
  if (!slow)
    return "the fast reader read a list parse_inbounds refuses: " + message_of(slow.error());
  return inbound_difference(*fast, *slow);
}

} // namespace fleet::test
