#pragma once

#include "common/panel/panel_client.hpp"
#include "common/protocol.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fleet {

/// The inbound new clients go to, remembered between batches.
struct placement_target {
  int64_t inbound_id = 0;
  std::string protocol;
};

/// The outcome of adding a batch of clients to one panel.
struct placement_outcome {
  /// Inbound the clients went to.
  int64_t inbound_id = 0;
  std::string protocol;
  /// Emails already taken on the panel by another client (not added).
  std::vector<std::string> refused;
};

/// Returns the inbound new clients go to: `configured` when set (and present), otherwise the
/// first enabled vless, vmess or trojan inbound.
[[nodiscard]] const panel_inbound* choose_inbound(const std::vector<panel_inbound>& inbounds,
                                                  std::optional<int64_t> configured);

/// Adds `orders` to the panel in as few calls as the API allows (one `addClient` on classic
/// panels). With a known `target` and `verify` off it sends them at once. Otherwise (first
/// batch, a retry after an ambiguous failure, or a duplicate email) it reads the inbound list
/// first: clients already there with the same key (an earlier attempt that did succeed)
/// count as added, and emails taken by another client are refused without a call. `done`
/// runs on the engine's I/O thread.
void place_clients(std::shared_ptr<panel_client> client, std::optional<int64_t> configured,
                   std::optional<placement_target> target, bool verify,
                   std::vector<client_order> orders,
                   std::function<void(caf::expected<placement_outcome>)> done);

/// Adds `orders` to `target` over every one of `clients` (sessions of one panel) at once,
/// each taking every n-th order through `place_clients`. Meant for gen2 panels, whose API adds
/// one client per call and locks each inbound itself: the calls' round trips overlap instead
/// of queueing on one session. `done` gets the first failure of a part, or every part's
/// refused emails; a caller's retry goes through `place_clients` with `verify` on, which adds
/// only what is missing.
void place_clients_in_parallel(const std::vector<std::shared_ptr<panel_client>>& clients,
                               std::optional<int64_t> configured, placement_target target,
                               std::vector<client_order> orders,
                               std::function<void(caf::expected<placement_outcome>)> done);

} // namespace fleet
