#pragma once

// Message types that only travel inside the coordinator process (between its HTTP API and
// the coordinator actor). They are never serialised, so CAF may pass them as they are.

#include "common/model/criteria.hpp"
#include "common/model/health.hpp"
#include "coordinator/selector/selection_engine.hpp"

#include <caf/allowed_unsafe_message_type.hpp>

#include <vector>

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::selection_criteria)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fleet::selection)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<fleet::server_health>)
