#include "common/model/evacuation.hpp"

namespace fleet {

const char* to_string(evacuation_state s) {
  switch (s) {
  case evacuation_state::none:
    return "none";
  case evacuation_state::waiting:
    return "waiting";
  case evacuation_state::held_back:
    return "held_back";
  case evacuation_state::evacuating:
    return "evacuating";
  case evacuation_state::finished:
    return "finished";
  }
  return "none";
}

} // namespace fleet
