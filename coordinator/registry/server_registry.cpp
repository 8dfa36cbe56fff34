#include "coordinator/registry/server_registry.hpp"

#include <algorithm>
#include <chrono>

namespace fleet {

size_t ejection_limit(size_t fleet_size, int64_t max_percent) {
  auto percent = static_cast<size_t>(std::clamp<int64_t>(max_percent, 0, 100));
  return std::max<size_t>(1, fleet_size * percent / 100);
}

namespace {

/// The configured facts of `s` in `e`.
void take_facts(server_entry& e, const server_config& s) {
  e.agent = s.agent;
  e.max_clients = s.max_clients;
  e.enabled_in_config = s.enabled;
  e.region = s.region;
  e.user_host = s.user_host();
  e.client_flow = s.client_flow;
}

/// A server never checked yet.
server_entry fresh_entry(const server_config& s) {
  server_entry e;
  e.id = s.id;
  take_facts(e, s);
  e.admin = s.enabled ? admin_state::active : admin_state::disabled;
  e.flags.set(health_flag::unchecked, true);
  // Until its agent registers, a server behind one can be neither checked nor changed.
  if (!s.agent.empty()) {
    e.flags.set(health_flag::agent_lost, true);
    e.last_error = "agent " + s.agent + " has not connected yet";
  }
  return e;
}

} // namespace

server_registry::server_registry(const std::vector<server_config>& servers,
                                 const management_settings& settings, fleet_view& view)
    : view_(&view), passive_threshold_(settings.passive_failure_threshold),
      recovery_passes_(std::max<int64_t>(settings.healthy_threshold, 1)),
      ejection_limit_(fleet::ejection_limit(servers.size(), settings.max_ejection_percent)) {
  entries_.reserve(servers.size());
  for (const auto& s : servers) {
    auto e = fresh_entry(s);
    auto existing = view.find(s.id);
    e.slot = existing ? *existing : view.add(s);
    by_id_.emplace(e.id, entries_.size());
    entries_.push_back(std::move(e));
    view.set_state(entries_.back().slot, entries_.back().state());
  }
}

void server_registry::reconfigure(const std::vector<server_config>& servers,
                                  const management_settings& settings) {
  std::vector<server_entry> next;
  std::unordered_map<std::string, size_t> ids;
  next.reserve(servers.size());
  for (const auto& s : servers) {
    auto old = by_id_.find(s.id);
    server_entry e;
    if (old != by_id_.end()) {
      e = std::move(entries_[old->second]);
      by_id_.erase(old);
      auto was_enabled = e.enabled_in_config;
      take_facts(e, s);
      if (!s.enabled)
        e.admin = admin_state::disabled;
      else if (!was_enabled)
        e.admin = admin_state::active;
      view_->reconfigure(e.slot, s);
    } else {
      e = fresh_entry(s);
      auto known = view_->find(s.id); // removed by an earlier reload
      if (known)
        view_->reconfigure(*known, s);
      e.slot = known ? *known : view_->add(s);
    }
    ids.emplace(e.id, next.size());
    next.push_back(std::move(e));
  }
  // What is left in `by_id_` is no longer configured.
  for (const auto& [id, index] : by_id_)
    view_->retire(entries_[index].slot);
  entries_ = std::move(next);
  by_id_ = std::move(ids);
  passive_threshold_ = settings.passive_failure_threshold;
  recovery_passes_ = std::max<int64_t>(settings.healthy_threshold, 1);
  ejection_limit_ = fleet::ejection_limit(entries_.size(), settings.max_ejection_percent);
  ejected_ = static_cast<size_t>(std::count_if(entries_.begin(), entries_.end(), [](const auto& e) {
    return e.flags.has(health_flag::passive_failure);
  }));
  for (const auto& e : entries_)
    view_->set_state(e.slot, e.state());
}

const server_entry* server_registry::find(const std::string& id) const {
  auto i = by_id_.find(id);
  return i == by_id_.end() ? nullptr : &entries_[i->second];
}

server_entry& server_registry::entry(const std::string& id) {
  return entries_[by_id_.at(id)];
}

server_change server_registry::finish(server_entry& e, server_state before, bool was_available) {
  view_->set_state(e.slot, e.state());
  server_change c;
  c.before = before;
  c.after = e.state();
  c.was_available = was_available;
  c.now_available = e.available();
  return c;
}

void server_registry::set_passive(server_entry& e, bool on) {
  if (e.flags.has(health_flag::passive_failure) == on)
    return;
  e.flags.set(health_flag::passive_failure, on);
  e.passes_since_ejection = 0;
  if (on)
    ++ejected_;
  else
    --ejected_;
}

void server_registry::restore(const std::string& id, admin_state admin, const server_health& last) {
  auto& e = entry(id);
  auto before = e.state();
  auto was = e.available();
  if (e.enabled_in_config)
    e.admin = admin;
  if (e.agent.empty()) {
    auto failed = std::find(last.flags.begin(), last.flags.end(),
                            to_string(health_flag::active_check_failed))
                  != last.flags.end();
    if (last.is_healthy || last.state == server_state::unhealthy || failed) {
      e.flags.set(health_flag::unchecked, false);
      e.flags.set(health_flag::active_check_failed, !last.is_healthy);
    }
    e.last_error = last.last_error;
  }
  e.last_check = last.last_check;
  e.response_time = last.response_time;
  e.error_count = last.error_count;
  e.consecutive_failures = last.consecutive_failures;
  e.availability = last.availability;
  e.panel.active_clients = last.active_clients;
  e.panel.xray_state = last.xray_state;
  e.panel.panel_version = last.panel_version;
  view_->set_load_sample(e.slot, last.active_clients);
  finish(e, before, was);
}

server_change server_registry::apply(const health_report& r) {
  auto& e = entry(r.server_id);
  auto before = e.state();
  auto was = e.available();
  auto passed = r.verdict == check_verdict::passed;
  e.last_check = wall_time{std::chrono::milliseconds{r.checked_at_ms}};
  e.response_time = millis{r.response_time_ms};
  e.error_count = r.error_count;
  e.consecutive_failures = r.consecutive_failures;
  e.availability = r.availability;
  if (passed) {
    e.panel = r.panel;
    e.inbounds = r.inbounds;
    view_->set_load_sample(e.slot, r.panel.active_clients);
  } else if (r.verdict == check_verdict::xray_down) {
    e.panel.xray_state = r.panel.xray_state;
  }
  e.flags.set(health_flag::unchecked, r.state == server_state::unknown);
  e.flags.set(health_flag::active_check_failed, r.state == server_state::unhealthy);
  if (e.flags.has(health_flag::passive_failure)) {
    if (r.state == server_state::unhealthy)
      set_passive(e, false); // active checks hold it out now, and decide its return
    else if (!passed)
      e.passes_since_ejection = 0;
    else if (++e.passes_since_ejection
             >= recovery_passes_
                    * std::clamp(e.ejections_in_a_row, int64_t{1}, max_ejection_multiplier))
      set_passive(e, false);
  }
  // While ejected passively, a passed check does not erase why the server is out.
  if (!e.flags.has(health_flag::passive_failure) || !r.last_error.empty())
    e.last_error = r.last_error;
  return finish(e, before, was);
}

server_change server_registry::apply(const operations_report& r) {
  auto& e = entry(r.server_id);
  auto before = e.state();
  auto was = e.available();
  if (r.consecutive_failures == 0)
    e.ejections_in_a_row = 0; // a change worked there again
  if (passive_threshold_ <= 0 || r.consecutive_failures < passive_threshold_
      || e.flags.has(health_flag::passive_failure) || e.flags.has(health_flag::active_check_failed))
    return finish(e, before, was);
  auto reason = std::to_string(r.consecutive_failures)
                + " client operations failed in a row, the last with: " + r.last_error;
  if (ejected_ >= ejection_limit_) {
    e.last_error = reason + "; it stays in selection: passive ejection already holds "
                   + std::to_string(ejected_) + " of " + std::to_string(entries_.size())
                   + " servers out (server_management.max_ejection_percent)";
    auto c = finish(e, before, was);
    // Said once per run of failures, not on every failure that follows.
    c.ejection_refused = r.consecutive_failures == passive_threshold_;
    return c;
  }
  set_passive(e, true);
  ++e.ejections_in_a_row;
  e.last_error = std::move(reason);
  return finish(e, before, was);
}

server_change server_registry::set_admin(const std::string& id, admin_state admin) {
  auto& e = entry(id);
  auto before = e.state();
  auto was = e.available();
  e.admin = admin;
  return finish(e, before, was);
}

server_change server_registry::lose_agent(const std::string& id, std::string why) {
  auto& e = entry(id);
  auto before = e.state();
  auto was = e.available();
  e.flags.set(health_flag::agent_lost, true);
  e.last_error = std::move(why);
  return finish(e, before, was);
}

server_change server_registry::regain_agent(const std::string& id) {
  auto& e = entry(id);
  auto before = e.state();
  auto was = e.available();
  if (e.flags.has(health_flag::agent_lost)) {
    e.flags.set(health_flag::agent_lost, false);
    e.flags.set(health_flag::unchecked, true);
  }
  return finish(e, before, was);
}

void server_registry::placed(const std::string& id) {
  if (auto i = by_id_.find(id); i != by_id_.end())
    view_->record_placement(entries_[i->second].slot);
}

void server_registry::unplaced(const std::string& id) {
  if (auto i = by_id_.find(id); i != by_id_.end())
    view_->withdraw_placement(entries_[i->second].slot);
}

server_health server_registry::health_of(const server_entry& e) const {
  server_health h;
  h.server_id = e.id;
  h.is_healthy = e.flags.none();
  h.last_check = e.last_check;
  h.response_time = e.response_time;
  h.error_count = e.error_count;
  h.current_load = view_->slot(e.slot).load();
  h.active_clients = e.panel.active_clients;
  h.state = e.state();
  h.consecutive_failures = e.consecutive_failures;
  h.last_error = e.last_error;
  h.xray_state = e.panel.xray_state;
  h.panel_version = e.panel.panel_version;
  h.availability = e.availability;
  h.flags = e.flags.names();
  if (e.admin != admin_state::active)
    h.flags.emplace_back(to_string(e.admin));
  return h;
}

server_stats server_registry::stats_of(const server_entry& e) const {
  server_stats st;
  st.server_id = e.id;
  st.total_clients = e.panel.total_clients;
  st.active_clients = e.panel.active_clients;
  st.online_clients = e.panel.online_clients;
  st.max_clients = e.max_clients;
  st.load_percentage = view_->slot(e.slot).load() * 100.0;
  st.bytes_transferred = e.panel.bytes_transferred;
  st.connections_count = e.panel.online_clients;
  return st;
}

std::vector<server_view> server_registry::views() const {
  std::vector<server_view> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_)
    out.push_back({health_of(e), stats_of(e), {}});
  return out;
}

} // namespace fleet
