#include "common/panel/operation_failures.hpp"

#include "common/panel/classify.hpp"

namespace fleet {

std::optional<operations_report> operation_failures::note(const caf::error& err) {
  auto failed = err && is_panel_fault(err);
  if (!failed && count_ == 0)
    return std::nullopt;
  count_ = failed ? count_ + 1 : 0;
  return operations_report{server_id_, count_, failed ? message_of(err) : std::string{}};
}

} // namespace fleet
