#include "coordinator/coordinator_state.hpp"

#include "common/logging.hpp"
#include "common/random_ids.hpp"
#include "common/text.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

namespace fleet {

namespace {

const char* admin_name(admin_state a) {
  switch (a) {
  case admin_state::draining:
    return "draining";
  case admin_state::disabled:
    return "disabled";
  case admin_state::active:
    break;
  }
  return "active";
}

admin_state admin_of(const std::string& name) {
  if (name == "draining")
    return admin_state::draining;
  if (name == "disabled")
    return admin_state::disabled;
  return admin_state::active;
}

} // namespace

caf::error coordinator_state::init(const fleet_config& config, store* store_ptr) {
  log = log_for("coordinator");
  db = store_ptr;
  settings = config.management;
  engine = std::make_unique<selection_engine>(
      config.servers, selection_settings::from(config.management, std::random_device{}()));
  for (const auto& s : config.servers) {
    auto& h = health[s.id];
    h.server_id = s.id;
    h.state = s.enabled ? server_state::unknown : server_state::disabled;
    stats[s.id].server_id = s.id;
    stats[s.id].max_clients = s.max_clients;
    if (s.enabled)
      enabled_in_config.insert(s.id);
  }
  agents = agent_registry{config.servers};
  ejections = ejection_cap{config.servers.size(), config.management.max_ejection_percent};
  feed = std::make_shared<event_feed>(db != nullptr ? db->last_event_seq() : 0);
  if (db == nullptr) {
    mark_agent_servers();
    return caf::none;
  }
  auto stored = db->servers();
  if (!stored)
    return std::move(stored.error());
  size_t restored = 0;
  auto& view = engine->view();
  for (auto& record : *stored) {
    auto slot = view.find(record.id);
    if (!slot)
      continue; // no longer configured
    const auto& s = view.slot(*slot);
    if (s.admin != admin_state::disabled) // the config's "enabled": false always wins
      view.set_admin(*slot, admin_of(record.admin));
    auto last = record.health.state;
    if ((last == server_state::healthy || last == server_state::unhealthy)
        && agents.agent_of(record.id) == nullptr)
      view.set_health(*slot, last);
    view.set_load_sample(*slot, record.health.active_clients);
    auto& h = health[record.id];
    h = record.health;
    h.state = view.slot(*slot).state();
    ++restored;
  }
  log->info("restored the last known state of {} of {} servers from {}", restored,
            config.servers.size(), db->dir());
  mark_agent_servers();
  auto all = db->clients();
  if (!all)
    return std::move(all.error());
  for (const auto& c : *all)
    ++recorded[c.server_id];
  update_panic();
  return caf::none;
}

bool coordinator_state::on_health(const health_report& r) {
  auto& view = engine->view();
  auto slot = view.find(r.server_id);
  if (!slot) {
    log->warn("ignored a health report for unknown server {}", r.server_id);
    return false;
  }
  auto previous_state = view.slot(*slot).health;
  auto was_healthy = previous_state == server_state::healthy;
  auto was_available = view.slot(*slot).available();
  auto state = parse_server_state(r.state).value_or(server_state::unknown);
  auto passive = r.verdict == passive_failure_verdict;
  if (!ejections.admit(r.server_id,
                       {passive, state == server_state::unhealthy, r.verdict == "passed"})) {
    if (passive)
      log->warn("server {} stays in selection although {}: passive ejection already holds {} "
                "of {} servers out (management.max_ejection_percent)",
                r.server_id, r.last_error, ejections.ejected(), view.size());
    state = previous_state;
  }
  view.set_health(*slot, state);
  if (r.verdict == "passed")
    view.set_load_sample(*slot, r.active_clients);
  const auto& s = view.slot(*slot);
  auto& h = health[r.server_id];
  h.server_id = r.server_id;
  h.is_healthy = state == server_state::healthy;
  h.last_check = wall_time{std::chrono::milliseconds{r.checked_at_ms}};
  h.response_time = millis{r.response_time_ms};
  h.error_count = r.error_count;
  h.consecutive_failures = r.consecutive_failures;
  h.last_error = r.last_error;
  h.availability = r.availability;
  ++metrics.checks[r.verdict];
  if (r.verdict == "passed") {
    h.active_clients = r.active_clients;
    h.xray_state = r.xray_state;
    h.panel_version = r.panel_version;
    auto& st = stats[r.server_id];
    st.total_clients = r.total_clients;
    st.active_clients = r.active_clients;
    st.online_clients = r.online_clients;
    st.connections_count = r.online_clients;
    st.bytes_transferred = r.bytes_transferred;
  } else if (r.verdict == "xray_down") {
    h.xray_state = r.xray_state;
  }
  h.current_load = s.load();
  stats[r.server_id].load_percentage = s.load() * 100.0;
  auto reported_before = h.state;
  h.state = s.state();
  if (h.state != reported_before
      && (h.state == server_state::healthy || h.state == server_state::unhealthy))
    emit(std::string{"server."} + to_string(h.state), r.server_id, "",
         {{"reason", r.last_error}, {"verdict", r.verdict}});
  if (was_available != s.available())
    log->info("server {} {} selection: {}{}{}", r.server_id,
              s.available() ? "returns to" : "is excluded from", to_string(h.state),
              r.last_error.empty() ? "" : ", ", r.last_error);
  // Load samples change every check; the stored copy only needs to be recent enough for a
  // restart to answer with it. State changes are written at once.
  auto& saved = last_saved_ms[r.server_id];
  if (state != previous_state || r.checked_at_ms - saved >= health_save_interval_ms) {
    saved = r.checked_at_ms;
    persist(r.server_id);
  }
  if (state != previous_state)
    update_panic();
  return wants_reconcile(r, !was_healthy && state == server_state::healthy);
}

bool coordinator_state::wants_reconcile(const health_report& r, bool became_healthy) const {
  if (r.verdict != "passed" || settings.reconcile_interval.count() <= 0
      || reconciling.count(r.server_id) > 0)
    return false;
  if (became_healthy)
    return true;
  // Fewer clients on the panel than recorded: something was lost (a wipe, an old backup).
  // At most once per check interval, as creates and deletes may race with the count.
  auto n = recorded.find(r.server_id);
  if (n == recorded.end() || r.total_clients >= n->second)
    return false;
  auto last = last_reconcile_ms.find(r.server_id);
  return last == last_reconcile_ms.end()
         || r.checked_at_ms - last->second >= settings.health_check_interval.count();
}

void coordinator_state::persist(const std::string& id) {
  if (db == nullptr)
    return;
  auto slot = engine->view().find(id);
  server_record record{id, admin_name(engine->view().slot(*slot).admin), health[id]};
  if (auto err = db->put_server(record))
    log->error("cannot persist server {}: {}", id, message_of(err));
}

void coordinator_state::update_panic() {
  size_t enabled = 0;
  size_t healthy = 0;
  for (const auto& s : engine->view().slots()) {
    if (s.admin == admin_state::disabled)
      continue;
    // Until every enabled server has been checked once there is nothing to panic about.
    if (s.health == server_state::unknown)
      return;
    ++enabled;
    healthy += s.health == server_state::healthy ? 1 : 0;
  }
  auto now_panic
      = enabled > 0
        && static_cast<double>(healthy) < settings.panic_threshold * static_cast<double>(enabled);
  if (now_panic == panic)
    return;
  panic = now_panic;
  if (panic)
    log->warn("PANIC: only {} of {} enabled servers are healthy (threshold {:.0f}%); policy: {}",
              healthy, enabled, settings.panic_threshold * 100,
              settings.on_panic == panic_policy::refuse ? "refuse new clients"
                                                        : "keep placing on healthy servers");
  else
    log->info("panic over: {} of {} enabled servers are healthy", healthy, enabled);
}

caf::expected<selection> coordinator_state::select(const selection_criteria& criteria) {
  if (panic && settings.on_panic == panic_policy::refuse) {
    ++metrics.selections[{
        criteria.strategy.empty() ? settings.selection_strategy : criteria.strategy, "panic"}];
    return make_error(ec::no_server_available,
                      "no server available: panic mode (too few healthy servers) and "
                      "panic_policy is refuse");
  }
  auto chosen = engine->select(criteria);
  auto strategy = criteria.strategy.empty() ? settings.selection_strategy : criteria.strategy;
  ++metrics.selections[{strategy, chosen ? "selected" : to_string(code_of(chosen.error()))}];
  if (chosen)
    log->debug("selected server {} for user {} using {}", chosen->server_id, criteria.user_id,
               chosen->strategy);
  return chosen;
}

caf::expected<client_record> coordinator_state::prepare(const create_request& req) {
  if (req.user_id.empty())
    return make_error(ec::invalid_argument, "user_id: missing");
  client_record r;
  r.user_id = req.user_id;
  r.email = req.email.empty() ? "u" + req.user_id : req.email;
  std::random_device rd;
  std::mt19937_64 rng{(static_cast<uint64_t>(rd()) << 32) ^ rd()};
  r.uuid = req.uuid.empty() ? random_uuid(rng) : req.uuid;
  r.sub_id = req.sub_id.empty() ? random_token(rng, 16) : req.sub_id;
  r.total_gb = req.total_gb;
  r.expiry_time_ms = req.expiry_time_ms;
  r.created_at_ms = to_unix_ms(std::chrono::system_clock::now());
  if (db != nullptr) {
    auto existing = db->client(r.email);
    if (!existing)
      return std::move(existing.error());
    if (existing->has_value())
      return make_error(ec::conflict, "email " + r.email
                                          + " is already a client of the fleet "
                                            "(server "
                                          + (*existing)->server_id + ")");
  }
  return r;
}

caf::expected<selection> coordinator_state::choose_for(const create_request& req,
                                                       const std::vector<std::string>& tried) {
  auto criteria = req.criteria;
  if (!req.server_id.empty()) {
    auto slot = engine->view().find(req.server_id);
    if (!slot)
      return make_error(ec::not_found, "server_id: no server " + req.server_id);
    if (!tried.empty())
      return make_error(ec::panel_error, "server " + req.server_id + " failed");
    criteria.preferred_id = req.server_id;
    const auto& s = engine->view().slot(*slot);
    if (!s.available())
      return make_error(ec::no_server_available,
                        "server " + req.server_id + " is " + to_string(s.state()));
    return selection{*slot, s.id, s.name, s.region, "pinned", s.load()};
  }
  criteria.user_id = req.user_id;
  criteria.exclude_ids.insert(criteria.exclude_ids.end(), tried.begin(), tried.end());
  return select(criteria);
}

void coordinator_state::begin(const char* kind, const client_record& target,
                              std::function<void(caf::expected<uint64_t>)> then) {
  if (db == nullptr)
    return then(uint64_t{0});
  intent_record intent;
  intent.kind = kind;
  intent.email = target.email;
  intent.server_id = target.server_id;
  intent.client = target;
  intent.created_at_ms = to_unix_ms(std::chrono::system_clock::now());
  to_begin.emplace_back(std::move(intent), std::move(then));
  if (to_begin.size() == 1) {
    if (schedule_flush)
      schedule_flush();
    else
      flush_intents();
  }
}

void coordinator_state::flush_intents() {
  auto queued = std::move(to_begin);
  to_begin.clear();
  if (queued.empty())
    return;
  std::vector<intent_record> intents;
  intents.reserve(queued.size());
  for (auto& q : queued)
    intents.push_back(std::move(q.first));
  auto err = db->begin_intents(intents);
  for (size_t i = 0; i < queued.size(); ++i) {
    if (err)
      queued[i].second(err);
    else
      queued[i].second(intents[i].id);
  }
}

void coordinator_state::created(uint64_t intent, const client_record& record) {
  if (auto slot = engine->view().find(record.server_id))
    engine->record_placement(*slot);
  ++recorded[record.server_id];
  if (db != nullptr)
    if (auto err = db->complete_intent(intent, &record, nullptr))
      log->error("client {} was created on server {} but cannot be recorded: {}", record.email,
                 record.server_id, message_of(err));
  emit("client.created", record.server_id, record.email,
       {{"user_id", record.user_id}, {"inbound_id", record.inbound_id}});
}

void coordinator_state::updated(uint64_t intent, const client_record& record) {
  if (db != nullptr)
    if (auto err = db->complete_intent(intent, &record, nullptr))
      log->error("client {} was updated on server {} but cannot be recorded: {}", record.email,
                 record.server_id, message_of(err));
  emit("client.updated", record.server_id, record.email,
       {{"total_gb", record.total_gb},
        {"expiry_time_ms", record.expiry_time_ms},
        {"enable", record.enable}});
}

void coordinator_state::deleted(uint64_t intent, const client_record& record) {
  auto n = recorded.find(record.server_id);
  if (n != recorded.end() && n->second > 0)
    --n->second;
  if (db != nullptr)
    if (auto err = db->complete_intent(intent, nullptr, &record.email))
      log->error("client {} was deleted from server {} but its record stays: {}", record.email,
                 record.server_id, message_of(err));
  emit("client.deleted", record.server_id, record.email, {{"user_id", record.user_id}});
}

void coordinator_state::abandon(uint64_t intent) {
  if (db == nullptr)
    return;
  if (auto err = db->complete_intent(intent, nullptr, nullptr))
    log->error("cannot close intent {}: {}", intent, message_of(err));
}

caf::expected<client_record> coordinator_state::client(const std::string& email) const {
  if (db == nullptr)
    return make_error(ec::internal, "the coordinator runs without a store");
  auto found = db->client(email);
  if (!found)
    return std::move(found.error());
  if (!found->has_value())
    return make_error(ec::not_found, "no client " + email + " in the fleet");
  return std::move(**found);
}

caf::expected<std::vector<client_record>>
coordinator_state::clients(const client_filter& filter) const {
  if (db == nullptr)
    return make_error(ec::internal, "the coordinator runs without a store");
  auto all = db->clients();
  if (!all)
    return std::move(all.error());
  std::vector<client_record> out;
  for (auto& c : *all) {
    if (out.size() >= filter.limit)
      break;
    if ((!filter.user_id.empty() && c.user_id != filter.user_id)
        || (!filter.server_id.empty() && c.server_id != filter.server_id)
        || (!filter.after.empty() && c.email <= filter.after))
      continue;
    out.push_back(std::move(c));
  }
  return out;
}

caf::error coordinator_state::claim(const std::string& email) {
  if (!busy.insert(ascii_lower(email)).second)
    return make_error(ec::conflict, "another operation on client " + email
                                        + " is in progress; retry when it has finished");
  return caf::none;
}

void coordinator_state::release(const std::string& email) {
  busy.erase(ascii_lower(email));
}

caf::expected<server_health> coordinator_state::set_admin(const std::string& id,
                                                          admin_state admin) {
  auto& view = engine->view();
  auto slot = view.find(id);
  if (!slot)
    return make_error(ec::not_found, "no server " + id + " in the fleet");
  if (enabled_in_config.count(id) == 0 && admin != admin_state::disabled)
    return make_error(ec::conflict, "server " + id
                                        + " is disabled in the configuration; set \"enabled\": "
                                          "true there and restart");
  auto before = view.slot(*slot).admin;
  view.set_admin(*slot, admin);
  auto& h = health[id];
  h.state = view.slot(*slot).state();
  h.current_load = view.slot(*slot).load();
  if (before != admin) {
    log->info("server {} is now {} (was {})", id, admin_name(admin), admin_name(before));
    emit(admin == admin_state::draining   ? "server.draining"
         : admin == admin_state::disabled ? "server.disabled"
                                          : "server.enabled",
         id, "", {{"was", admin_name(before)}});
  }
  persist(id);
  update_panic();
  return h;
}

std::vector<server_view> coordinator_state::servers() const {
  std::vector<server_view> out;
  for (const auto& s : engine->view().slots())
    out.push_back(server_view{health.at(s.id), stats.at(s.id)});
  return out;
}

void coordinator_state::emit(std::string type, std::string server_id, std::string email,
                             nlohmann::json data) {
  ++metrics.events[type];
  if (db == nullptr)
    return;
  std::vector<event_record> one(1);
  auto& e = one.front();
  e.time_ms = to_unix_ms(std::chrono::system_clock::now());
  e.type = std::move(type);
  e.server_id = std::move(server_id);
  e.email = std::move(email);
  e.data = std::move(data);
  if (auto err = db->append_events(one)) {
    log->error("cannot append event {}: {}", e.type, message_of(err));
    return;
  }
  feed->published(e.seq);
}

std::string coordinator_state::metrics_text() const {
  std::map<std::string, bool> connected;
  for (const auto& a : agents.statuses())
    connected[a.id] = a.connected;
  return render_metrics(metrics, servers(), panic, connected);
}

std::vector<server_health> coordinator_state::fleet_health() const {
  std::vector<server_health> out;
  for (const auto& s : engine->view().slots())
    out.push_back(health.at(s.id));
  return out;
}

void coordinator_state::mark_agent_servers() {
  // Until its agent registers, a server behind one cannot be checked or changed.
  for (const auto& id : enabled_in_config)
    if (auto agent = agents.agent_of(id))
      mark_unreachable(id, "agent " + *agent + " has not connected yet");
}

void coordinator_state::mark_unreachable(const std::string& id, std::string why) {
  auto& view = engine->view();
  auto slot = view.find(id);
  if (!slot)
    return;
  view.set_health(*slot, server_state::unreachable);
  auto& h = health[id];
  h.is_healthy = false;
  h.state = view.slot(*slot).state();
  h.last_error = std::move(why);
  h.current_load = view.slot(*slot).load();
}

std::vector<std::string> coordinator_state::agent_joined(const std::string& agent_id,
                                                         const agent_registry::joined& joined) {
  std::vector<std::string> accepted;
  for (const auto& p : joined.accepted) {
    probes[p.server_id] = p.probe;
    accepted.push_back(p.server_id);
  }
  for (const auto& id : joined.missing) {
    probes.erase(id);
    mark_unreachable(id, "agent " + agent_id + " does not serve it; list it in the agent's file");
  }
  log->info(
      "agent {} registered with {} servers{}{}", agent_id, accepted.size(),
      joined.ignored.empty() ? "" : "; ignored servers not assigned to it: ", join(joined.ignored));
  if (!joined.missing.empty())
    log->warn("agent {} does not serve {}, which the configuration assigns to it", agent_id,
              join(joined.missing));
  emit("agent.connected", "", "",
       {{"agent", agent_id},
        {"servers", accepted},
        {"ignored", joined.ignored},
        {"missing", joined.missing}});
  return accepted;
}

void coordinator_state::agent_left(const agent_registry::left& gone, const std::string& reason) {
  auto why = "agent " + gone.agent_id + " disconnected (" + reason + ")";
  for (const auto& id : gone.servers) {
    probes.erase(id);
    auto before = health[id].state;
    mark_unreachable(id, why);
    if (before != health[id].state)
      emit("server.unreachable", id, "", {{"reason", why}, {"agent", gone.agent_id}});
    persist(id);
  }
  log->warn("{}; its {} servers are unreachable until it is back", why, gone.servers.size());
  emit("agent.disconnected", "", "",
       {{"agent", gone.agent_id}, {"servers", gone.servers}, {"reason", reason}});
  update_panic();
}

} // namespace fleet
