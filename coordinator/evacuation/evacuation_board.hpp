#pragma once

#include "common/model/evacuation.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace fleet {

/// One client to move in the next wave.
struct evacuation_move {
  std::string from;
  std::string email;
};

/// The evacuations under way and their progress: which clients still have to leave which
/// server, in waves of bounded size. Destinations are the caller's to choose. Plain state.
class evacuation_board {
public:
  /// Starts moving `emails` off `server_id` (again, when it had finished).
  void start(const std::string& server_id, const std::vector<std::string>& emails,
             bool by_operator);

  /// Says that a server is due at `due_at_ms`, held back, or neither any more; ignored for a
  /// server being evacuated.
  void set_waiting(const std::string& server_id, int64_t due_at_ms);
  void set_held_back(const std::string& server_id, std::string why);
  void clear_wait(const std::string& server_id);

  /// Up to `limit` clients to move next, oldest evacuation first, leaving out `busy` ones
  /// (they stay pending). Each is in flight until `moved` or `failed`.
  [[nodiscard]] std::vector<evacuation_move> next_wave(size_t limit,
                                                       const std::set<std::string>& busy);

  /// A client reached its new server.
  void moved(const evacuation_move& m);
  /// A client could not be moved now: it stays pending, after the others. `refused_by` (when
  /// not empty) is a server that refused it for good (e.g. it has another client with that
  /// email); later waves do not choose it for this client.
  void failed(const evacuation_move& m, std::string why, const std::string& refused_by = {});

  /// Servers that refused `email` for good.
  [[nodiscard]] std::vector<std::string> refused(const std::string& email) const;
  /// A client no longer needs moving (deleted meanwhile, or already elsewhere).
  void dropped(const evacuation_move& m);

  /// Whether any client waits to be moved (in flight ones not counted).
  [[nodiscard]] bool has_pending() const noexcept;

  [[nodiscard]] evacuation_status status_of(const std::string& server_id) const;
  /// Clients moved and still pending over every evacuation, for the metrics.
  [[nodiscard]] int64_t total_moved() const noexcept { return total_moved_; }
  [[nodiscard]] int64_t total_pending() const noexcept;

private:
  struct progress {
    std::string server_id;
    evacuation_status status;
    std::deque<std::string> pending;
    std::set<std::string> in_flight;
    int64_t started_seq = 0;
  };
  progress& at(const std::string& server_id);
  void settle(progress& p);

  std::map<std::string, progress> servers_;
  std::map<std::string, std::vector<std::string>> refused_;
  int64_t next_seq_ = 0;
  int64_t total_moved_ = 0;
};

} // namespace fleet
