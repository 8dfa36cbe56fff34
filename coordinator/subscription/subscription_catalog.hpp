#pragma once

#include "common/protocol.hpp"
#include "coordinator/subscription/link_profile.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace fleet {

/// The inbounds of every server as the last passed check read them, parsed once into link
/// profiles, so that a subscription request never asks a panel anything. Plain state; owned
/// by the coordinator actor. Profiles are shared, so an answer on its way keeps the ones it
/// uses even when a newer check replaces them.
class subscription_catalog {
public:
  /// Takes the inbounds a passed check of `server_id` read. Unchanged inbounds are not parsed
  /// again. Returns the reasons of inbounds newly found unusable (an unknown protocol or
  /// transport), each once per inbound and reason, for the log.
  std::vector<std::string> update(const std::string& server_id,
                                  const std::vector<inbound_profile>& inbounds);

  /// The profile of inbound `inbound_id` on `server_id`; null when it is unknown or unusable.
  [[nodiscard]] std::shared_ptr<const link_profile> find(const std::string& server_id,
                                                         int64_t inbound_id) const;

private:
  struct server_inbounds {
    std::vector<inbound_profile> raw;
    std::map<int64_t, std::shared_ptr<const link_profile>> parsed;
    std::set<std::string> reported;
  };
  std::map<std::string, server_inbounds> servers_;
};

} // namespace fleet
