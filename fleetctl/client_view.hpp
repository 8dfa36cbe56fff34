#pragma once

// How fleetctl shows clients: as rows of a table and as a page of their own. Fields an older
// coordinator does not send (usage, limited, remaining_bytes) are left out, not printed empty.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "fleetctl/command_context.hpp"

namespace fleet::ctl {

/// A client with its sub_id (and the subscription URL that contains it) cut to four
/// characters, for tables on a screen; `--json` shows them whole.
[[nodiscard]] nlohmann::json with_sub_id_masked(nlohmann::json client);

/// A table of `clients`, one a row; with USED, LEFT and LIMITED columns when any client
/// carries its usage.
[[nodiscard]] std::string client_table(const std::vector<nlohmann::json>& clients);

/// Prints one client: its fields, its traffic on the panel, and its usage with the share of
/// every server.
void print_client(context& c, const nlohmann::json& client);

} // namespace fleet::ctl
