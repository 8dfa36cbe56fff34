#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace fleet {

/// How alerts are grouped and held back, in milliseconds.
struct alert_timing {
  /// Changes within this window after the first one go out as one message; also the least
  /// time between two messages.
  int64_t group_window_ms = 10'000;
  /// After a server was announced, its next change waits at least this long.
  int64_t hold_down_ms = 60'000;
};

/// Decides which server state changes become alert messages, and when: one message per
/// group of changes (servers that fall together are named in one line), nothing for a
/// change that is undone before it was announced, a flapping server announced at most once
/// per hold-down period (with its state at the end of it), and "ALL SERVERS DOWN" when no
/// tracked server is up.
///
/// Plain state; time comes in as arguments (steady milliseconds). Not thread-safe.
class alert_coalescer {
public:
  explicit alert_coalescer(alert_timing timing) : timing_(timing) {}

  /// Tracks server `id` shown as `name`, currently `down` (taken as announced: no message).
  void track(const std::string& id, const std::string& name, bool down);

  /// Server `id` went down (`down`) or came back at `now_ms`. An untracked server is
  /// tracked under its id, as up before.
  void observe(const std::string& id, bool down, int64_t now_ms);

  /// When `due` has something to say next; `std::nullopt` when nothing is pending.
  [[nodiscard]] std::optional<int64_t> next_due() const;

  /// The message due at `now_ms`, if any; what it says counts as announced.
  [[nodiscard]] std::optional<std::string> due(int64_t now_ms);

private:
  struct server {
    std::string name;
    bool down = false;
    bool announced_down = false;
    /// When its state was last announced; no hold-down before the first announcement.
    std::optional<int64_t> announced_ms;
  };

  [[nodiscard]] bool pending(const server& s) const { return s.down != s.announced_down; }
  [[nodiscard]] int64_t ready_at(const server& s) const;
  [[nodiscard]] std::string compose(const std::map<std::string, bool>& changed) const;

  alert_timing timing_;
  std::map<std::string, server> servers_;
  /// When the oldest change not yet announced happened.
  std::optional<int64_t> window_start_;
  std::optional<int64_t> last_sent_ms_;
};

} // namespace fleet
