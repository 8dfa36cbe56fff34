#pragma once

#include "coordinator/client_flows.hpp"

#include <string>

namespace fleet {

/// Compares the clients recorded for `server_id` with those its panel holds, keeps the
/// report, logs what differs and, with `drift_repair` on, re-adds missing clients (same
/// uuid and sub_id, so their links keep working) and corrects enable flags. Foreign clients
/// are only reported. Does nothing while that server is being reconciled already.
void reconcile(coordinator_self* self, const std::string& server_id);

} // namespace fleet
