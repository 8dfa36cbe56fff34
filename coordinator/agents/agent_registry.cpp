#include "coordinator/agents/agent_registry.hpp"

#include "common/error.hpp"

#include <algorithm>

namespace fleet {

agent_registry::agent_registry(const std::vector<server_config>& servers) {
  for (const auto& s : servers) {
    if (s.agent.empty())
      continue;
    // Known even when every one of its servers is disabled: such an agent is welcome but
    // serves nothing.
    auto& list = assigned_[s.agent];
    if (!s.enabled)
      continue;
    list.push_back(s.id);
    agent_of_[s.id] = s.agent;
  }
}

caf::error agent_registry::admit(uint32_t version, const std::string& agent_id) const {
  if (version != protocol_version)
    return make_error(ec::invalid_argument,
                      "agent " + agent_id + " speaks protocol " + std::to_string(version)
                          + " but this coordinator speaks " + std::to_string(protocol_version)
                          + "; run the same release of fleet-agent and fleet-coordinator");
  if (assigned_.count(agent_id) == 0)
    return make_error(ec::not_found, "no server in the coordinator's configuration names agent \""
                                         + agent_id + "\"; set \"agent\": \"" + agent_id
                                         + "\" on its servers there, or fix agent.id");
  return caf::none;
}

agent_registry::joined agent_registry::join(const std::string& agent_id, const caf::actor& handle,
                                            std::vector<agent_panel> panels, int64_t now_ms) {
  joined out;
  const auto& mine = assigned_[agent_id];
  connection now{handle, {}};
  for (auto& p : panels) {
    if (std::find(mine.begin(), mine.end(), p.server_id) == mine.end()) {
      out.ignored.push_back(p.server_id);
      continue;
    }
    now.servers.push_back(p.server_id);
    out.accepted.push_back(std::move(p));
  }
  for (const auto& id : mine)
    if (std::find(now.servers.begin(), now.servers.end(), id) == now.servers.end())
      out.missing.push_back(id);
  if (auto before = connected_.find(agent_id); before != connected_.end()) {
    out.replaced = before->second.handle != handle;
    out.renewed = !out.replaced;
  }
  connected_[agent_id] = std::move(now);
  if (!out.renewed)
    history_[agent_id].first = now_ms;
  return out;
}

std::optional<agent_registry::left>
agent_registry::leave(const caf::actor_addr& source, const std::string& reason, int64_t now_ms) {
  for (auto i = connected_.begin(); i != connected_.end(); ++i) {
    if (i->second.handle.address() != source)
      continue;
    left out{i->first, std::move(i->second.servers)};
    history_[i->first] = {now_ms, reason};
    connected_.erase(i);
    return out;
  }
  return std::nullopt;
}

const std::string* agent_registry::agent_of(const std::string& server_id) const {
  auto i = agent_of_.find(server_id);
  return i == agent_of_.end() ? nullptr : &i->second;
}

bool agent_registry::speaks_for(const caf::actor_addr& source, const std::string& server_id) const {
  auto agent = agent_of(server_id);
  if (agent == nullptr)
    return false;
  auto c = connected_.find(*agent);
  if (c == connected_.end() || c->second.handle.address() != source)
    return false;
  const auto& servers = c->second.servers;
  return std::find(servers.begin(), servers.end(), server_id) != servers.end();
}

std::vector<agent_status> agent_registry::statuses() const {
  std::vector<agent_status> out;
  for (const auto& [id, servers] : assigned_) {
    agent_status a;
    a.id = id;
    a.servers = servers;
    if (auto c = connected_.find(id); c != connected_.end()) {
      a.connected = true;
      a.serving = c->second.servers;
    }
    if (auto h = history_.find(id); h != history_.end()) {
      a.since_ms = h->second.first;
      a.last_disconnect = h->second.second;
    }
    out.push_back(std::move(a));
  }
  return out;
}

} // namespace fleet
