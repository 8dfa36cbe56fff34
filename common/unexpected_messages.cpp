#include "common/unexpected_messages.hpp"

#include <caf/actor_system.hpp>
#include <caf/message_view.hpp>
#include <caf/sec.hpp>
#include <caf/uniform_type_info_map.hpp>
#include <spdlog/logger.h>

namespace fleet {

std::string type_names_of(const caf::actor_system& sys, const caf::type_erased_tuple& xs) {
  std::string out = "(";
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i > 0)
      out += ", ";
    out += sys.types().portable_name(xs.type(i));
  }
  return out + ")";
}

caf::scheduled_actor::default_handler log_and_drop(std::shared_ptr<spdlog::logger> log,
                                                   std::string component) {
  return [log = std::move(log), component = std::move(component)](
             caf::scheduled_actor* self, caf::message_view& msg) -> caf::result<caf::message> {
    const auto& sender = self->current_sender();
    log->warn("{} dropped an unexpected message {} from {}", component,
              type_names_of(self->system(), msg.content()),
              sender == nullptr ? std::string{"an anonymous sender"}
                                : "actor " + std::to_string(sender->id()) + " on node "
                                      + caf::to_string(sender->node()));
    return caf::sec::unexpected_message;
  };
}

} // namespace fleet
