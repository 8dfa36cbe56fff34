#pragma once

// Message types that only travel inside the coordinator process (between its HTTP API and
// the coordinator actor). They are never serialised, so CAF may pass them as they are.

#include "common/model/criteria.hpp"
#include "common/model/health.hpp"
#include "common/protocol.hpp"
#include "coordinator/selector/selection_engine.hpp"
#include "coordinator/store/records.hpp"

#include <caf/allowed_unsafe_message_type.hpp>

#include <vector>

namespace fleet {

/// A request to create a client somewhere in the fleet (the API's `POST /api/v1/clients`).
/// Empty fields get defaults: email "u<user_id>", a fresh UUID v4 and sub_id.
struct create_request {
  std::string user_id;
  std::string email;
  std::string uuid;
  std::string sub_id;
  double total_gb = 0.0;
  int64_t expiry_time_ms = 0;
  /// Pins the server; otherwise `criteria` select it.
  std::string server_id;
  selection_criteria criteria;
};

} // namespace fleet

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::selection_criteria)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::selection)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<fleet::server_health>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::create_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::client_record)
