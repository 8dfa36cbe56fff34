#include "coordinator/selector/round_robin.hpp"

#include <algorithm>

namespace fleet {

namespace {

/// Pass increment of a weight-1 server; weights up to 1000 divide it without much rounding.
constexpr uint64_t base_stride = 1'000'000'000;

uint64_t stride_of(const server_slot& s) {
  return base_stride / static_cast<uint64_t>(std::max<int64_t>(s.weight, 1));
}

} // namespace

round_robin_selector::scope_state& round_robin_selector::refresh(const fleet_view& view,
                                                                 scope_index scope) {
  if (scopes_.size() <= scope)
    scopes_.resize(view.scope_count());
  auto& st = scopes_[scope];
  const auto& members = view.scope(scope);
  if (st.generation == members.generation)
    return st;
  // Newcomers start at the current front so they neither starve others nor get a burst.
  auto start = st.queue.empty() ? uint64_t{0} : st.queue.begin()->first;
  std::unordered_map<slot_index, uint64_t> pass;
  std::set<entry> queue;
  for (auto slot : members.members) {
    auto known = st.pass.find(slot);
    auto p = known != st.pass.end() ? std::max(known->second, start) : start;
    pass.emplace(slot, p);
    queue.emplace(p, slot);
  }
  st.pass = std::move(pass);
  st.queue = std::move(queue);
  st.generation = members.generation;
  return st;
}

std::optional<slot_index> round_robin_selector::select(const fleet_view& view, scope_index scope,
                                                       const request_filter& filter) {
  auto& st = refresh(view, scope);
  std::vector<entry> skipped;
  for (auto it = st.queue.begin(); it != st.queue.end(); ++it) {
    auto [pass, slot] = *it;
    const auto& s = view.slot(slot);
    if (!filter.accepts(slot, s)) {
      skipped.push_back(*it);
      continue;
    }
    st.queue.erase(it);
    auto next = pass + stride_of(s);
    st.queue.emplace(next, slot);
    st.pass[slot] = next;
    for (const auto& [old_pass, other] : skipped) {
      st.queue.erase({old_pass, other});
      st.queue.emplace(pass, other);
      st.pass[other] = pass;
    }
    return slot;
  }
  return std::nullopt;
}

} // namespace fleet
