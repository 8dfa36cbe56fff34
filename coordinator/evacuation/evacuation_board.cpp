#include "coordinator/evacuation/evacuation_board.hpp"

#include "common/text.hpp"

#include <algorithm>

namespace fleet {

evacuation_board::progress& evacuation_board::at(const std::string& server_id) {
  auto& p = servers_[server_id];
  p.server_id = server_id;
  return p;
}

void evacuation_board::start(const std::string& server_id, const std::vector<std::string>& emails,
                             bool by_operator) {
  auto& p = at(server_id);
  p.started_seq = ++next_seq_;
  p.status.by_operator = by_operator;
  p.status.held_back_because.clear();
  p.status.due_at_ms = 0;
  p.status.last_error.clear();
  std::set<std::string> known(p.pending.begin(), p.pending.end());
  for (const auto& email : emails)
    if (known.count(email) == 0 && p.in_flight.count(email) == 0)
      p.pending.push_back(email);
  p.status.state = evacuation_state::evacuating;
  settle(p);
}

void evacuation_board::set_waiting(const std::string& server_id, int64_t due_at_ms) {
  auto& p = at(server_id);
  if (p.status.state == evacuation_state::evacuating)
    return;
  p.status.state = evacuation_state::waiting;
  p.status.due_at_ms = due_at_ms;
  p.status.held_back_because.clear();
}

void evacuation_board::set_held_back(const std::string& server_id, std::string why) {
  auto& p = at(server_id);
  if (p.status.state == evacuation_state::evacuating)
    return;
  p.status.state = evacuation_state::held_back;
  p.status.held_back_because = std::move(why);
}

void evacuation_board::clear_wait(const std::string& server_id) {
  auto i = servers_.find(server_id);
  if (i == servers_.end())
    return;
  auto& st = i->second.status;
  if (st.state == evacuation_state::waiting || st.state == evacuation_state::held_back) {
    st.state = st.moved > 0 ? evacuation_state::finished : evacuation_state::none;
    st.held_back_because.clear();
    st.due_at_ms = 0;
  }
}

std::vector<evacuation_move> evacuation_board::next_wave(size_t limit,
                                                         const std::set<std::string>& busy) {
  std::vector<progress*> order;
  for (auto& [id, p] : servers_)
    if (!p.pending.empty())
      order.push_back(&p);
  std::sort(order.begin(), order.end(),
            [](const progress* a, const progress* b) { return a->started_seq < b->started_seq; });
  std::vector<evacuation_move> wave;
  for (auto* p : order) {
    std::deque<std::string> skipped;
    while (wave.size() < limit && !p->pending.empty()) {
      auto email = std::move(p->pending.front());
      p->pending.pop_front();
      if (busy.count(ascii_lower(email)) > 0) {
        skipped.push_back(std::move(email));
        continue;
      }
      p->in_flight.insert(email);
      wave.push_back(evacuation_move{p->server_id, std::move(email)});
    }
    for (auto& e : skipped)
      p->pending.push_back(std::move(e));
    if (wave.size() >= limit)
      break;
  }
  return wave;
}

std::vector<std::string> evacuation_board::refused(const std::string& email) const {
  auto i = refused_.find(email);
  return i == refused_.end() ? std::vector<std::string>{} : i->second;
}

void evacuation_board::moved(const evacuation_move& m) {
  refused_.erase(m.email);
  auto& p = at(m.from);
  p.in_flight.erase(m.email);
  ++p.status.moved;
  ++total_moved_;
  settle(p);
}

void evacuation_board::failed(const evacuation_move& m, std::string why,
                              const std::string& refused_by) {
  if (!refused_by.empty())
    refused_[m.email].push_back(refused_by);
  auto& p = at(m.from);
  p.in_flight.erase(m.email);
  p.pending.push_back(m.email);
  p.status.last_error = std::move(why);
  settle(p);
}

void evacuation_board::dropped(const evacuation_move& m) {
  auto& p = at(m.from);
  p.in_flight.erase(m.email);
  settle(p);
}

void evacuation_board::settle(progress& p) {
  p.status.pending = static_cast<int64_t>(p.pending.size() + p.in_flight.size());
  if (p.status.state == evacuation_state::evacuating && p.status.pending == 0)
    p.status.state = evacuation_state::finished;
}

bool evacuation_board::has_pending() const noexcept {
  return std::any_of(servers_.begin(), servers_.end(),
                     [](const auto& kv) { return !kv.second.pending.empty(); });
}

evacuation_status evacuation_board::status_of(const std::string& server_id) const {
  auto i = servers_.find(server_id);
  return i == servers_.end() ? evacuation_status{} : i->second.status;
}

int64_t evacuation_board::total_pending() const noexcept {
  int64_t n = 0;
  for (const auto& [id, p] : servers_)
    n += p.status.pending;
  return n;
}

} // namespace fleet
