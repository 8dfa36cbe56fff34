#pragma once

// The commands of the fleet's usage accounting: renewing and resetting a client, its hourly
// usage, and a bot user's clients with their total.

#include <string>

#include "fleetctl/command_context.hpp"

namespace fleet::ctl {

/// `client renew EMAIL [--add-gb N] [--set-total-gb N] [--extend-days N] [--set-expiry-ms MS]
/// [--reset-usage]`; `path` is the client's API path.
int client_renew(context& c, const std::string& path);

/// `client reset-usage EMAIL`.
int client_reset_usage(context& c, const std::string& path);

/// `client usage EMAIL [--from T] [--to T]`: a table of hours.
int client_usage(context& c, const std::string& path);

/// `user show USER_ID`.
int user(context& c);

} // namespace fleet::ctl
