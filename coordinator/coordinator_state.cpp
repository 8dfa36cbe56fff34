#include "coordinator/coordinator_state.hpp"

#include "common/logging.hpp"
#include "common/random_ids.hpp"
#include "common/text.hpp"
#include "coordinator/client_limits.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

namespace fleet {

caf::error coordinator_state::init(const fleet_config& config, store* store_ptr) {
  log = log_for("coordinator");
  db = store_ptr;
  settings = config.management;
  engine = std::make_unique<selection_engine>(
      config.servers, selection_settings::from(config.management, std::random_device{}()));
  registry = std::make_unique<server_registry>(config.servers, config.management, engine->view());
  agents = agent_registry{config.servers};
  panic = panic_mode{settings.panic_threshold};
  reconciles = reconcile_schedule{settings.reconcile_interval, settings.health_check_interval};
  evacuation_rule = evacuation_policy{settings.evacuate_after, settings.max_evacuation_percent};
  feed = std::make_shared<event_feed>(db != nullptr ? db->last_event_seq() : 0);
  if (db == nullptr)
    return caf::none;
  auto stored = db->servers();
  if (!stored)
    return std::move(stored.error());
  size_t restored = 0;
  for (auto& record : *stored) {
    if (registry->find(record.id) == nullptr)
      continue; // no longer configured
    registry->restore(record.id, parse_admin_state(record.admin).value_or(admin_state::active),
                      record.health);
    ++restored;
  }
  log->info("restored the last known state of {} of {} servers from {}", restored,
            config.servers.size(), db->dir());
  auto all = db->clients();
  if (!all)
    return std::move(all.error());
  for (const auto& c : *all) {
    ++recorded[c.server_id];
    if (!c.sub_id.empty())
      by_sub_id[c.sub_id] = c.email;
    book_client(book, c);
  }
  auto usage = db->ledger();
  if (!usage)
    return std::move(usage.error());
  for (auto& entry : *usage)
    ledger.restore(entry.server_id, entry.email, entry.entry);
  carried = ledger.by_server();
  log->info("restored {} clients and {} ledger entries", all->size(), usage->size());
  auto left = db->stale_copies();
  if (!left)
    return std::move(left.error());
  for (const auto& copy : *left)
    stale[copy.server_id].insert(copy.email);
  update_panic();
  return caf::none;
}

bool coordinator_state::on_health(const health_report& r) {
  if (registry->find(r.server_id) == nullptr) {
    log->warn("ignored a health report for unknown server {}", r.server_id);
    return false;
  }
  ++metrics.checks[to_string(r.verdict)];
  history[r.server_id].record(r.checked_at_ms, r.verdict == check_verdict::passed,
                              r.response_time_ms);
  auto change = registry->apply(r);
  if (r.verdict == check_verdict::passed)
    for (const auto& why : links.update(r.server_id, r.inbounds))
      log->warn("server {}: subscriptions leave out {}", r.server_id, why);
  const auto& e = *registry->find(r.server_id);
  if (change.state_changed()
      && (change.after == server_state::healthy || change.after == server_state::unhealthy))
    emit(std::string{"server."} + to_string(change.after), r.server_id, "",
         {{"reason", e.last_error}, {"verdict", to_string(r.verdict)}});
  log_availability(r.server_id, change);
  // Load samples change every check; the stored copy only needs to be recent enough for a
  // restart to answer with it. State changes are written at once.
  auto& saved = last_saved_ms[r.server_id];
  if (change.state_changed() || r.checked_at_ms - saved >= health_save_interval_ms) {
    saved = r.checked_at_ms;
    persist_health(r.server_id);
  }
  if (change.state_changed())
    update_panic();
  auto n = recorded.find(r.server_id);
  return reconciles.wants(
      r, change.before != server_state::healthy && change.after == server_state::healthy,
      n == recorded.end() ? 0 : n->second);
}

void coordinator_state::on_operations(const operations_report& r) {
  if (registry->find(r.server_id) == nullptr) {
    log->warn("ignored an operations report for unknown server {}", r.server_id);
    return;
  }
  auto change = registry->apply(r);
  const auto& e = *registry->find(r.server_id);
  if (change.ejection_refused)
    log->warn("server {}: {}", r.server_id, e.last_error);
  if (!change.state_changed())
    return;
  log->warn("server {} is unhealthy (passive): {}", r.server_id, e.last_error);
  emit("server.unhealthy", r.server_id, "",
       {{"reason", e.last_error}, {"verdict", to_string(health_flag::passive_failure)}});
  log_availability(r.server_id, change);
  persist_health(r.server_id);
  update_panic();
}

void coordinator_state::log_availability(const std::string& id, const server_change& change) {
  if (!change.availability_changed())
    return;
  const auto& e = *registry->find(id);
  log->info("server {} {} selection: {}{}{}", id,
            change.now_available ? "returns to" : "is excluded from", to_string(change.after),
            e.last_error.empty() ? "" : ", ", e.last_error);
}

caf::error coordinator_state::persist(const std::string& id) {
  if (db == nullptr)
    return caf::none;
  const auto& e = *registry->find(id);
  server_record record{id, to_string(e.admin), registry->health_of(e)};
  return db->put_server(record);
}

void coordinator_state::persist_health(const std::string& id) {
  if (auto err = persist(id); err && code_of(err) != ec::store_unavailable)
    log->error("cannot persist server {}: {}", id, message_of(err));
}

void coordinator_state::update_panic() {
  auto now = panic.update(registry->entries());
  if (!now.changed)
    return;
  if (panic.active())
    log->warn("PANIC: only {} of {} enabled servers are healthy (threshold {:.0f}%); policy: {}",
              now.healthy, now.enabled, settings.panic_threshold * 100,
              settings.on_panic == panic_policy::refuse ? "refuse new clients"
                                                        : "keep placing on healthy servers");
  else
    log->info("panic over: {} of {} enabled servers are healthy", now.healthy, now.enabled);
}

caf::expected<selection> coordinator_state::select(const selection_criteria& criteria) {
  if (panic.active() && settings.on_panic == panic_policy::refuse) {
    ++metrics.selections[{
        criteria.strategy.empty() ? settings.selection_strategy : criteria.strategy, "panic"}];
    return make_error(ec::no_server_available,
                      "no server available: panic mode (too few healthy servers) and "
                      "panic_policy is refuse",
                      R"({"reason":"panic"})");
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
  r.uuid = req.uuid.empty() ? secure_uuid() : req.uuid;
  r.sub_id = req.sub_id.empty() ? secure_token(16) : req.sub_id;
  r.total_gb = req.total_gb;
  r.expiry_time_ms = req.expiry_time_ms;
  r.limit_ip = req.limit_ip;
  r.created_at_ms = time->wall_ms();
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
    const auto* e = registry->find(req.server_id);
    if (e == nullptr)
      return make_error(ec::not_found, "server_id: no server " + req.server_id);
    if (!tried.empty())
      return make_error(ec::panel_error, "server " + req.server_id + " failed");
    if (!e->available())
      return make_error(ec::no_server_available,
                        "server " + req.server_id + " is " + to_string(e->state()));
    const auto& s = engine->view().slot(e->slot);
    return selection{e->slot, s.id, s.name, s.region, "pinned", s.load()};
  }
  criteria.user_id = req.user_id;
  criteria.exclude_ids.insert(criteria.exclude_ids.end(), tried.begin(), tried.end());
  return select(criteria);
}

void coordinator_state::begin(const char* kind, const client_record& target,
                              std::function<void(caf::expected<uint64_t>)> then,
                              std::string from_server_id) {
  if (db == nullptr)
    return then(uint64_t{0});
  intent_record intent;
  intent.kind = kind;
  intent.email = target.email;
  intent.server_id = target.server_id;
  intent.from_server_id = std::move(from_server_id);
  intent.client = target;
  intent.created_at_ms = time->wall_ms();
  intents.add(std::move(intent), std::move(then));
  request_flush();
}

void coordinator_state::request_flush() {
  if (!schedule_flush)
    return flush();
  if (flush_requested_)
    return;
  flush_requested_ = true;
  schedule_flush();
}

void coordinator_state::flush() {
  flush_requested_ = false;
  flush_confirmed();
  flush_intents();
}

void coordinator_state::flush_intents() {
  intents.flush([this](std::vector<intent_record>& batch) { return db->begin_intents(batch); });
}

void coordinator_state::flush_confirmed() {
  if (confirmed_.empty() && after_confirmed_.empty())
    return;
  auto writes = std::move(confirmed_);
  auto then = std::move(after_confirmed_);
  confirmed_ = {};
  after_confirmed_.clear();
  auto err = db != nullptr ? db->commit(writes) : caf::error{};
  if (err)
    log->error("cannot record {} clients created on their servers and {} idempotency answers: "
               "{}",
               writes.created.size(), writes.answers.size(), message_of(err));
  for (auto& e : writes.events)
    published(std::move(e), err);
  // The answers go out either way: the clients are on their panels, and their intents stay
  // open for the next start to record them.
  for (auto& f : then)
    f();
}

void coordinator_state::keep_answer(std::string key, idempotent_answer answer,
                                    std::function<void()> then) {
  if (db != nullptr)
    confirmed_.answers.emplace_back(std::move(key), std::move(answer));
  after_confirmed_.push_back(std::move(then));
  request_flush();
}

void coordinator_state::created(uint64_t intent, const client_record& record,
                                std::function<void()> then) {
  ++recorded[record.server_id];
  if (!record.sub_id.empty())
    by_sub_id[record.sub_id] = record.email;
  book_client(book, record);
  // A copy once left there is this client now, not one to delete.
  if (auto i = stale.find(record.server_id); i != stale.end() && i->second.count(record.email) > 0)
    stale_gone(record.server_id, record.email);
  ++metrics.events["client.created"];
  if (db != nullptr) {
    confirmed_.created.emplace_back(intent, record);
    confirmed_.events.push_back(
        event_of("client.created", record.server_id, record.email,
                 {{"user_id", record.user_id}, {"inbound_id", record.inbound_id}}));
  }
  if (then)
    after_confirmed_.push_back(std::move(then));
  request_flush();
}

void coordinator_state::updated(uint64_t intent, const client_record& record) {
  const auto* before = book.find(record.email);
  auto was = before != nullptr ? before->limited : limit_reason::none;
  book_client(book, record);
  if (db != nullptr)
    if (auto err = db->complete_intent(intent, &record, nullptr))
      log->error("client {} was updated on server {} but cannot be recorded: {}", record.email,
                 record.server_id, message_of(err));
  emit("client.updated", record.server_id, record.email,
       {{"total_gb", record.total_gb},
        {"expiry_time_ms", record.expiry_time_ms},
        {"limit_ip", record.limit_ip},
        {"enable", record.enable}});
  if (parse_limit_reason(record.limited) != was)
    announce_limit(record, ledger.used(record.email));
}

void coordinator_state::deleted(uint64_t intent, const client_record& record) {
  auto n = recorded.find(record.server_id);
  if (n != recorded.end() && n->second > 0)
    --n->second;
  by_sub_id.erase(record.sub_id);
  book.erase(record.email);
  forget_usage(record.email);
  if (db != nullptr)
    if (auto err = db->complete_intent(intent, nullptr, &record.email))
      log->error("client {} was deleted from server {} but its record stays: {}", record.email,
                 record.server_id, message_of(err));
  emit("client.deleted", record.server_id, record.email, {{"user_id", record.user_id}});
}

void coordinator_state::moved(uint64_t intent, const client_record& record,
                              const std::string& from) {
  registry->placed(record.server_id);
  ++recorded[record.server_id];
  if (auto n = recorded.find(from); n != recorded.end() && n->second > 0)
    --n->second;
  stale[from].insert(record.email);
  book_client(book, record);
  ++metrics.moved_clients;
  if (db != nullptr) {
    stale_copy left{from, record.email, record.server_id, record.moved_at_ms, false};
    if (auto err = db->complete_move(intent, record, left))
      log->error("client {} was moved from server {} to {} but cannot be recorded: {}",
                 record.email, from, record.server_id, message_of(err));
  }
  emit("client.moved", record.server_id, record.email,
       {{"from", from}, {"to", record.server_id}, {"inbound_id", record.inbound_id}});
}

std::vector<std::string> coordinator_state::holders_of(const std::string& email) const {
  std::vector<std::string> out;
  auto wanted = ascii_lower(email);
  for (const auto& [server_id, emails] : stale)
    if (std::any_of(emails.begin(), emails.end(),
                    [&](const std::string& e) { return ascii_lower(e) == wanted; }))
      out.push_back(server_id);
  return out;
}

void coordinator_state::stale_gone(const std::string& server_id, const std::string& email) {
  if (auto i = stale.find(server_id); i != stale.end()) {
    i->second.erase(email);
    if (i->second.empty())
      stale.erase(i);
  }
  if (db != nullptr)
    if (auto err = db->erase_stale(server_id, email))
      log->error("cannot forget the stale copy of {} on server {}: {}", email, server_id,
                 message_of(err));
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
  const auto* e = registry->find(id);
  if (e == nullptr)
    return make_error(ec::not_found, "no server " + id + " in the fleet");
  if (!e->enabled_in_config && admin != admin_state::disabled)
    return make_error(ec::conflict, "server " + id
                                        + " is disabled in the configuration; set \"enabled\": "
                                          "true there and restart");
  auto before = e->admin;
  // Written before anything is said about it: a store that cannot write refuses the change.
  registry->set_admin(id, admin);
  if (auto err = persist(id)) {
    registry->set_admin(id, before);
    return err;
  }
  if (before != admin) {
    log->info("server {} is now {} (was {})", id, to_string(admin), to_string(before));
    emit(admin == admin_state::draining   ? "server.draining"
         : admin == admin_state::disabled ? "server.disabled"
                                          : "server.enabled",
         id, "", {{"was", to_string(before)}});
  }
  update_panic();
  return registry->health_of(*e);
}

std::vector<server_view> coordinator_state::servers() const {
  auto views = registry->views();
  for (auto& v : views) {
    v.evacuation = evacuation_of(v.health.server_id);
    auto bytes = carried.find(v.health.server_id);
    v.stats.bytes_transferred = bytes != carried.end() ? bytes->second.total() : 0;
  }
  return views;
}

subscription_answer coordinator_state::subscription_for(const std::string& sub_id) const {
  subscription_answer out;
  auto email = by_sub_id.find(sub_id);
  if (email == by_sub_id.end())
    return out;
  auto record = client(email->second);
  if (!record)
    return out;
  out.found = true;
  out.who = subscriber{record->email, record->uuid, record->sub_id, {}, {}};
  out.total_bytes = bytes_of_gb(record->total_gb);
  auto used = ledger.usage(record->email).total;
  out.upload = used.up;
  out.download = used.down;
  out.expire_s = record->expiry_time_ms > 0 ? record->expiry_time_ms / 1000 : 0;
  const auto* server = registry->find(record->server_id);
  // Drained servers still serve the users they have; failing, lost or disabled ones do not.
  if (server == nullptr || !server->flags.none() || server->admin == admin_state::disabled) {
    out.nothing_because = "its server cannot be reached now";
    return out;
  }
  out.who.flow = server->client_flow;
  auto profile = links.find(record->server_id, record->inbound_id);
  if (!profile) {
    out.nothing_because = "its inbound is not known yet";
    return out;
  }
  out.profiles.push_back(profile);
  out.entries = entries_for(*profile, server->user_host, record->email);
  return out;
}

evacuation_status coordinator_state::evacuation_of(const std::string& id) const {
  auto out = evacuations.status_of(id);
  if (auto i = stale.find(id); i != stale.end())
    out.stale_copies = static_cast<int64_t>(i->second.size());
  return out;
}

void coordinator_state::emit(std::string type, std::string server_id, std::string email,
                             nlohmann::json data) {
  ++metrics.events[type];
  if (db == nullptr)
    return;
  std::vector<event_record> one{
      event_of(std::move(type), std::move(server_id), std::move(email), std::move(data))};
  auto err = db->append_events(one);
  published(std::move(one.front()), err);
}

event_record coordinator_state::event_of(std::string type, std::string server_id, std::string email,
                                         nlohmann::json data) {
  event_record e;
  e.time_ms = time->wall_ms();
  e.type = std::move(type);
  e.server_id = std::move(server_id);
  e.email = std::move(email);
  e.data = std::move(data);
  return e;
}

void coordinator_state::published(event_record e, const caf::error& err) {
  if (!err) {
    feed->published(e.seq);
    return;
  }
  if (code_of(err) != ec::store_unavailable) {
    log->error("cannot append event {}: {}", e.type, message_of(err));
    return;
  }
  // Appended when the store writes again (`store_changed`).
  if (held_events.size() < max_held_events)
    held_events.push_back(std::move(e));
  else
    ++dropped_events;
}

std::string coordinator_state::metrics_text() const {
  std::map<std::string, bool> connected;
  for (const auto& a : agents.statuses())
    connected[a.id] = a.connected;
  auto figures = metrics;
  figures.carried = carried;
  figures.foreign = foreign;
  figures.pending_moves = evacuations.total_pending();
  figures.store_writable = db == nullptr || db->condition().writable;
  figures.store_memtable_bytes = db == nullptr ? 0 : db->memtable_bytes();
  figures.stale_copies = 0;
  for (const auto& [id, emails] : stale)
    figures.stale_copies += static_cast<int64_t>(emails.size());
  return render_metrics(figures, servers(), panic.active(), connected);
}

std::vector<server_health> coordinator_state::fleet_health() const {
  std::vector<server_health> out;
  for (const auto& e : registry->entries())
    out.push_back(registry->health_of(e));
  return out;
}

std::vector<std::string> coordinator_state::agent_joined(const std::string& agent_id,
                                                         const agent_registry::joined& joined) {
  std::vector<std::string> accepted;
  for (const auto& p : joined.accepted) {
    probes[p.server_id] = p.probe;
    registry->regain_agent(p.server_id);
    accepted.push_back(p.server_id);
  }
  for (const auto& id : joined.missing) {
    probes.erase(id);
    registry->lose_agent(id,
                         "agent " + agent_id + " does not serve it; list it in the agent's file");
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
    if (registry->lose_agent(id, why).state_changed())
      emit("server.unreachable", id, "", {{"reason", why}, {"agent", gone.agent_id}});
    persist_health(id);
  }
  log->warn("{}; its {} servers are unreachable until it is back", why, gone.servers.size());
  emit("agent.disconnected", "", "",
       {{"agent", gone.agent_id}, {"servers", gone.servers}, {"reason", reason}});
  update_panic();
}

} // namespace fleet
