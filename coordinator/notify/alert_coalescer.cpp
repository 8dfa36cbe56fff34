#include "coordinator/notify/alert_coalescer.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <vector>

namespace fleet {

void alert_coalescer::track(const std::string& id, const std::string& name, bool down) {
  auto& s = servers_[id];
  s.name = name.empty() ? id : name;
  s.down = down;
  s.announced_down = down;
}

void alert_coalescer::observe(const std::string& id, bool down, int64_t now_ms) {
  auto [it, added] = servers_.try_emplace(id);
  if (added)
    it->second.name = id;
  auto& s = it->second;
  if (s.down == down)
    return; // the same state again says nothing new
  s.down = down;
  if (pending(s) && !window_start_)
    window_start_ = now_ms;
  if (std::none_of(servers_.begin(), servers_.end(),
                   [this](const auto& x) { return pending(x.second); }))
    window_start_.reset();
}

int64_t alert_coalescer::ready_at(const server& s) const {
  auto at = window_start_.value_or(0) + timing_.group_window_ms;
  if (s.announced_ms)
    at = std::max(at, *s.announced_ms + timing_.hold_down_ms);
  if (last_sent_ms_)
    at = std::max(at, *last_sent_ms_ + timing_.group_window_ms);
  return at;
}

std::optional<int64_t> alert_coalescer::next_due() const {
  std::optional<int64_t> out;
  for (const auto& [id, s] : servers_)
    if (pending(s))
      out = std::min(out.value_or(ready_at(s)), ready_at(s));
  return out;
}

std::optional<std::string> alert_coalescer::due(int64_t now_ms) {
  std::map<std::string, bool> changed;
  for (auto& [id, s] : servers_)
    if (pending(s) && ready_at(s) <= now_ms)
      changed[id] = s.down;
  if (changed.empty())
    return std::nullopt;
  auto text = compose(changed);
  for (const auto& [id, down] : changed) {
    auto& s = servers_[id];
    s.announced_down = down;
    s.announced_ms = now_ms;
  }
  last_sent_ms_ = now_ms;
  window_start_.reset();
  // Changes held back by their hold-down start the next window now.
  if (std::any_of(servers_.begin(), servers_.end(),
                  [this](const auto& x) { return pending(x.second); }))
    window_start_ = now_ms;
  return text;
}

std::string alert_coalescer::compose(const std::map<std::string, bool>& changed) const {
  std::vector<std::string> fell;
  std::vector<std::string> rose;
  for (const auto& [id, down] : changed)
    (down ? fell : rose).push_back(servers_.at(id).name);
  auto total = servers_.size();
  auto down_now = static_cast<size_t>(
      std::count_if(servers_.begin(), servers_.end(), [](const auto& x) { return x.second.down; }));
  auto count = [](size_t n, const char* what) {
    return n == 1 ? std::string{"server "} + what : std::to_string(n) + " servers " + what;
  };
  std::vector<std::string> lines;
  if (!fell.empty()) {
    auto line = count(fell.size(), "down") + ": " + join(fell);
    if (down_now == total)
      lines.push_back("🚨 ALL SERVERS DOWN (" + std::to_string(total) + " of "
                      + std::to_string(total) + ") — " + line);
    else
      lines.push_back("🔴 " + line + " (" + std::to_string(total - down_now) + " of "
                      + std::to_string(total) + " up)");
  }
  if (!rose.empty())
    lines.push_back("✅ " + count(rose.size(), "recovered") + ": " + join(rose) + " ("
                    + std::to_string(total - down_now) + " of " + std::to_string(total) + " up)");
  return join(lines, "\n");
}

} // namespace fleet
