#include "coordinator/api/fleet_body_cache.hpp"

#include <nlohmann/json.hpp>

namespace fleet {

std::string fleet_body_cache::list(const std::vector<server_view>& views,
                                   uint64_t config_generation, const render& f) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto changed = config_generation != generation_ || views.size() != servers_.size();
  if (changed) {
    generation_ = config_generation;
    servers_.assign(views.size(), {});
  }
  for (size_t i = 0; i < views.size(); ++i) {
    auto& cached = servers_[i];
    // A fresh slot has no text yet: rendered even when its default view matches.
    if (!cached.text.empty() && cached.view == views[i])
      continue;
    cached.view = views[i];
    cached.text = by_id_ ? nlohmann::json(views[i].health.server_id).dump() + ':' : std::string{};
    cached.text += f(views[i]);
    ++renders_;
    changed = true;
  }
  if (!changed && !list_.empty())
    return list_;
  size_t size = 2;
  for (const auto& s : servers_)
    size += s.text.size() + 1;
  list_.clear();
  list_.reserve(size);
  list_ += by_id_ ? '{' : '[';
  for (size_t i = 0; i < servers_.size(); ++i) {
    if (i > 0)
      list_ += ',';
    list_ += servers_[i].text;
  }
  list_ += by_id_ ? '}' : ']';
  return list_;
}

uint64_t fleet_body_cache::renders() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return renders_;
}

} // namespace fleet
