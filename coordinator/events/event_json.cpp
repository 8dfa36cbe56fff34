#include "coordinator/events/event_json.hpp"

#include "common/json_reader.hpp"
#include "common/time_format.hpp"

namespace fleet {

nlohmann::json event_json(const event_record& x) {
  nlohmann::json out{{"seq", x.seq},
                     {"time", to_rfc3339(wall_time{std::chrono::milliseconds{x.time_ms}})},
                     {"type", x.type}};
  if (!x.server_id.empty())
    out["server_id"] = id_to_json(x.server_id);
  if (!x.email.empty())
    out["email"] = x.email;
  out["data"] = x.data;
  return out;
}

} // namespace fleet
