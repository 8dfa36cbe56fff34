// The panel's traffic job: bytes added to clients, then depleted and expired clients disabled
// (3x-ui `AddTraffic`, which ends in `disableInvalidClients`).

#include "tools/fake_xui/fake_panel.hpp"
#include "tools/fake_xui/json_fields.hpp"

#include <set>

namespace fleet::fake {

namespace {

/// 3x-ui's depleted condition on a `client_traffics` row.
bool depleted(const client_traffic& t, int64_t now) {
  return (t.total > 0 && t.up + t.down >= t.total) || (t.expiry_time > 0 && t.expiry_time <= now);
}

} // namespace

bool fake_panel::add_traffic(const std::string& email, int64_t up, int64_t down) {
  auto i = traffic_.find(email);
  if (i == traffic_.end())
    return false;
  i->second.up += up;
  i->second.down += down;
  i->second.last_online = now_ms();
  if (auto* in = find_inbound_mut(i->second.inbound_id)) {
    in->up += up;
    in->down += down;
  }
  disable_invalid_clients();
  return true;
}

size_t fake_panel::disable_invalid_clients() {
  auto now = now_ms();
  std::set<std::string> disabled;
  for (auto& [email, t] : traffic_)
    if (t.enable && depleted(t, now)) {
      t.enable = false;
      disabled.insert(email);
    }
  if (disabled.empty())
    return 0;
  // The client entries follow in every inbound that lists the email, as 3x-ui's
  // `markClientsDisabledInSettings` does: only entries whose `enable` is true change, and
  // only they get a new `updated_at`.
  for (auto& in : inbounds_) {
    auto clients = in.settings.find("clients");
    if (clients == in.settings.end() || !clients->is_array())
      continue;
    for (auto& c : *clients)
      if (disabled.count(string_or(c, "email")) > 0 && bool_or(c, "enable", false)) {
        c["enable"] = false;
        c["updated_at"] = now;
      }
  }
  return disabled.size();
}

} // namespace fleet::fake
