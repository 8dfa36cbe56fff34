#pragma once

// Operations on the clients of ONE panel, as its probe runs them (the fleet-wide flows that
// choose a panel, write intents and record outcomes are the coordinator's client_flows).
// They read the panel before they change it: the panel is the truth about
// where a client is and what its protocol key is, so an update or delete never trusts a
// stale record, and repeating one after a crash is harmless.

#include "common/panel/panel_client.hpp"
#include "common/protocol.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fleet {

/// A client found on a panel with what it takes to change it.
struct located_client {
  int64_t inbound_id = 0;
  std::string protocol;
  panel_client_info info;
};

template <class T>
using panel_callback = std::function<void(caf::expected<T>)>;

/// Finds `email` (case-insensitively) on the panel; `std::nullopt` when it is not there.
void locate_client(std::shared_ptr<panel_client> client, std::string email,
                   panel_callback<std::optional<located_client>> done);

/// Sets the limits and the enable flag of `order.email` to those of `order` (keeping its key
/// and sub_id); `done` gets its inbound id, or `not_found`.
void amend_client(std::shared_ptr<panel_client> client, client_order order,
                  panel_callback<int64_t> done);

/// Deletes `email`; `done` gets whether it was there (deleting an absent client succeeds).
void remove_client(std::shared_ptr<panel_client> client, std::string email,
                   panel_callback<bool> done);

/// Deletes every client of `emails` the panel holds, reading the inbound list once and
/// deleting one client after the other; delivers how many were there. Stops at the first
/// failed deletion with its error (a retry finds the deleted ones gone).
void remove_clients(std::shared_ptr<panel_client> client, std::vector<std::string> emails,
                    panel_callback<int64_t> done);

/// Traffic and limits of `email`, or `not_found`.
void read_usage(std::shared_ptr<panel_client> client, std::string email,
                panel_callback<client_usage> done);

/// Every client on the panel, in inbound order.
void read_inventory(std::shared_ptr<panel_client> client,
                    panel_callback<std::vector<panel_entry>> done);

} // namespace fleet
