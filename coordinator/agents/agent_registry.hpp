#pragma once

#include "common/model/server.hpp"
#include "common/protocol.hpp"

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/error.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fleet {

/// What operators see of one agent.
struct agent_status {
  std::string id;
  bool connected = false;
  /// Enabled servers the configuration assigns to it.
  std::vector<std::string> servers;
  /// Those it serves now (empty while disconnected).
  std::vector<std::string> serving;
  /// When it last connected or went away (Unix ms); 0 = never since start-up.
  int64_t since_ms = 0;
  /// Why it last went away; empty if it never did.
  std::string last_disconnect;
};

/// The agents the configuration names (servers with `"agent": "<id>"`) and the ones connected
/// now. Decides who may register and which reports an agent may send. Plain state, owned by
/// the coordinator actor.
class agent_registry {
public:
  agent_registry() = default;

  /// Learns which agent probes which enabled server.
  explicit agent_registry(const std::vector<server_config>& servers);

  /// Answers an agent's hello: nothing, or why it is refused (another protocol version, an id
  /// no server names).
  [[nodiscard]] caf::error admit(uint32_t version, const std::string& agent_id) const;

  /// What registering an agent's panels changed.
  struct joined {
    /// Panels of servers assigned to the agent.
    std::vector<agent_panel> accepted;
    /// Server ids the agent offered that the configuration does not assign to it.
    std::vector<std::string> ignored;
    /// Servers assigned to the agent that it did not offer.
    std::vector<std::string> missing;
    /// Whether the agent was connected through another handle before (a reconnect the
    /// coordinator had not noticed yet).
    bool replaced = false;
    /// Whether the agent registered through this same handle before (its panels changed).
    bool renewed = false;
  };

  /// Records `agent_id` as connected through `handle`, serving `panels`. The agent must have
  /// been admitted.
  joined join(const std::string& agent_id, const caf::actor& handle,
              std::vector<agent_panel> panels, int64_t now_ms);

  /// A connected agent that went away.
  struct left {
    std::string agent_id;
    std::vector<std::string> servers;
  };

  /// Forgets the agent connected through `source`, which went away for `reason`; nothing
  /// when `source` is not one.
  std::optional<left> leave(const caf::actor_addr& source, const std::string& reason,
                            int64_t now_ms);

  /// The agent that probes server `id`, or nullptr when the coordinator probes it.
  [[nodiscard]] const std::string* agent_of(const std::string& server_id) const;

  /// Whether `source` is the connected agent of server `server_id`.
  [[nodiscard]] bool speaks_for(const caf::actor_addr& source, const std::string& server_id) const;

  [[nodiscard]] bool connected(const std::string& agent_id) const {
    return connected_.count(agent_id) > 0;
  }

  /// Every configured agent, by id.
  [[nodiscard]] std::vector<agent_status> statuses() const;

private:
  /// Agent id -> the servers assigned to it.
  std::map<std::string, std::vector<std::string>> assigned_;
  /// Server id -> its agent.
  std::map<std::string, std::string> agent_of_;
  struct connection {
    caf::actor handle;
    std::vector<std::string> servers;
  };
  std::map<std::string, connection> connected_;
  /// Agent id -> when it last connected or left, and why it left.
  std::map<std::string, std::pair<int64_t, std::string>> history_;
};

} // namespace fleet
