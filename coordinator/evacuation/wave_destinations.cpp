#include "coordinator/evacuation/wave_destinations.hpp"

namespace fleet {

std::vector<std::string> wave_destinations::closed(const std::vector<std::string>& all) const {
  auto full_set = assigned_.size() >= panels_;
  std::vector<std::string> out;
  for (const auto& id : all) {
    auto i = assigned_.find(id);
    if (i == assigned_.end() ? full_set : i->second >= per_panel_)
      out.push_back(id);
  }
  return out;
}

} // namespace fleet
