#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace fleet {

/// The pacing of one wave of moves: at most `per_panel` clients go to one panel (one call)
/// and at most `panels` panels are written at once, so that a large evacuation does not
/// overload the healthy panels it lands on. Plain state.
class wave_destinations {
public:
  wave_destinations(size_t per_panel, size_t panels) : per_panel_(per_panel), panels_(panels) {}

  /// Of `all` servers, those the next move of the wave may not go to.
  [[nodiscard]] std::vector<std::string> closed(const std::vector<std::string>& all) const;

  /// Counts a move to `server_id`.
  void assign(const std::string& server_id) { ++assigned_[server_id]; }

  [[nodiscard]] const std::map<std::string, size_t>& assigned() const noexcept { return assigned_; }

private:
  size_t per_panel_;
  size_t panels_;
  std::map<std::string, size_t> assigned_;
};

} // namespace fleet
