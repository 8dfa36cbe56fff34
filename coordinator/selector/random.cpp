#include "coordinator/selector/random.hpp"

#include <algorithm>

namespace fleet {

namespace {

/// Redraws before falling back to building the eligible list.
constexpr int max_redraws = 32;

uint64_t weight_of(const server_slot& s) {
  return static_cast<uint64_t>(std::max<int64_t>(s.weight, 1));
}

} // namespace

size_t random_selector::draw(const std::vector<uint64_t>& cumulative) {
  std::uniform_int_distribution<uint64_t> dist{0, cumulative.back() - 1};
  auto r = dist(rng_);
  auto pos = std::upper_bound(cumulative.begin(), cumulative.end(), r);
  return static_cast<size_t>(pos - cumulative.begin());
}

std::optional<slot_index> random_selector::select(const fleet_view& view, scope_index scope,
                                                  const request_filter& filter) {
  if (scopes_.size() <= scope)
    scopes_.resize(view.scope_count());
  auto& st = scopes_[scope];
  const auto& members = view.scope(scope);
  if (members.members.empty())
    return std::nullopt;
  if (st.generation != members.generation) {
    st.cumulative.clear();
    uint64_t sum = 0;
    for (auto slot : members.members)
      st.cumulative.push_back(sum += weight_of(view.slot(slot)));
    st.generation = members.generation;
  }
  for (int i = 0; i < max_redraws; ++i) {
    auto slot = members.members[draw(st.cumulative)];
    if (filter.accepts(slot, view.slot(slot)))
      return slot;
  }
  // Most members are not eligible: draw among the eligible ones directly.
  std::vector<slot_index> eligible;
  std::vector<uint64_t> cumulative;
  uint64_t sum = 0;
  for (auto slot : members.members) {
    const auto& s = view.slot(slot);
    if (filter.accepts(slot, s)) {
      eligible.push_back(slot);
      cumulative.push_back(sum += weight_of(s));
    }
  }
  if (eligible.empty())
    return std::nullopt;
  return eligible[draw(cumulative)];
}

} // namespace fleet
