#include "coordinator/evacuation_flow.hpp"

#include "common/text.hpp"
#include "coordinator/evacuation/wave_destinations.hpp"

#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include <limits>
#include <memory>

namespace fleet {

namespace {

std::vector<std::string> emails_on(const coordinator_state& st, const std::string& server_id) {
  client_filter filter;
  filter.server_id = server_id;
  filter.limit = std::numeric_limits<size_t>::max();
  std::vector<std::string> out;
  auto found = st.clients(filter);
  if (!found) {
    st.log->error("cannot list the clients of server {}: {}", server_id, message_of(found.error()));
    return out;
  }
  for (const auto& c : *found)
    out.push_back(c.email);
  return out;
}

void start(coordinator_self* self, const std::string& server_id, bool by_operator) {
  auto& st = self->state;
  auto emails = emails_on(st, server_id);
  st.evacuations.start(server_id, emails, by_operator);
  st.log->warn("evacuating server {}{}: {} clients to move", server_id,
               by_operator ? " (operator's request)" : " (failing for evacuate_after)",
               emails.size());
  st.emit("server.evacuating", server_id, "",
          {{"clients", emails.size()}, {"by", by_operator ? "operator" : "policy"}});
  if (emails.empty()) {
    st.log->info("server {} is evacuated: it had no clients", server_id);
    st.emit("server.evacuated", server_id, "", {{"moved", 0}});
  }
}

/// Whether the panel of `server_id` can be asked to delete copies now.
bool answers(const coordinator_state& st, const std::string& server_id) {
  const auto* e = st.registry->find(server_id);
  return e != nullptr && st.probes.count(server_id) > 0
         && !e->flags.has(health_flag::active_check_failed)
         && !e->flags.has(health_flag::agent_lost) && !e->flags.has(health_flag::unchecked);
}

/// Where a client leaving `from` goes in this wave: the selection engine's choice in the
/// region of `from` first, never `from`, a server the wave's pacing closes, one holding a
/// stale copy of the client or one that refused it.
caf::expected<selection> destination_for(coordinator_state& st, const client_record& c,
                                         const std::string& from, const wave_destinations& wave) {
  std::vector<std::string> ids;
  for (const auto& e : st.registry->entries())
    ids.push_back(e.id);
  selection_criteria criteria;
  criteria.user_id = c.user_id;
  if (const auto* source = st.registry->find(from); source != nullptr && !source->region.empty()) {
    criteria.region = source->region;
    criteria.strategy = "geographic";
  }
  criteria.exclude_ids = wave.closed(ids);
  criteria.exclude_ids.push_back(from);
  for (auto& id : st.holders_of(c.email))
    criteria.exclude_ids.push_back(std::move(id));
  for (auto& id : st.evacuations.refused(c.email))
    criteria.exclude_ids.push_back(std::move(id));
  return st.select(criteria);
}

/// What is left to do when every move of a wave has an outcome.
struct wave_tally {
  size_t left = 0;
  bool progressed = false;
  std::set<std::string> sources;
};

void settle(coordinator_self* self, const std::shared_ptr<wave_tally>& tally) {
  if (--tally->left > 0)
    return;
  auto& st = self->state;
  st.wave_running = false;
  for (const auto& from : tally->sources) {
    auto status = st.evacuations.status_of(from);
    if (answers(st, from))
      clean_stale_copies(self, from);
    if (status.state == evacuation_state::finished && status.pending == 0) {
      st.log->info("server {} is evacuated: {} clients moved", from, status.moved);
      st.emit("server.evacuated", from, "", {{"moved", status.moved}});
    }
  }
  // A wave that moved nobody (no destination, every panel refusing) waits for the next
  // review instead of trying again at once.
  if (tally->progressed)
    run_wave(self);
}

void move_one(coordinator_self* self, const evacuation_move& m, wave_destinations& wave,
              const std::shared_ptr<wave_tally>& tally) {
  auto& st = self->state;
  auto record = st.client(m.email);
  if (!record || record->server_id != m.from) {
    st.evacuations.dropped(m);
    return settle(self, tally);
  }
  auto fail = [self, m, tally](std::string why, std::string refused_by = {}) {
    self->state.evacuations.failed(m, std::move(why), refused_by);
    settle(self, tally);
  };
  if (auto err = st.claim(record->email))
    return fail(message_of(err));
  auto chosen = destination_for(st, *record, m.from, wave);
  if (!chosen) {
    st.release(record->email);
    return fail("no destination: " + message_of(chosen.error()));
  }
  auto probe = probe_of(st, chosen->server_id);
  if (!probe) {
    st.release(record->email);
    return fail(message_of(probe.error()));
  }
  wave.assign(chosen->server_id);
  auto target = *record;
  target.server_id = chosen->server_id;
  target.inbound_id = 0;
  target.moved_at_ms = st.time->wall_ms();
  auto done = [self, m, tally, fail](bool ok, std::string why = {}, std::string refused_by = {}) {
    self->state.release(m.email);
    if (!ok)
      return fail(std::move(why), std::move(refused_by));
    self->state.evacuations.moved(m);
    tally->progressed = true;
    settle(self, tally);
  };
  st.begin(
      "move", target,
      [self, target, m, done, dest = *probe](caf::expected<uint64_t> intent) mutable {
        if (!intent)
          return done(false, message_of(intent.error()));
        self->request(dest, caf::infinite, place_atom_v, order_of(self->state, target))
            .then(
                [self, target, m, done, id = *intent](int64_t inbound) mutable {
                  auto& s = self->state;
                  count_call(s, "add_client", caf::none);
                  target.inbound_id = inbound;
                  s.moved(id, target, m.from);
                  s.log->info("client {} moved from server {} to {} (inbound {})", target.email,
                              m.from, target.server_id, inbound);
                  done(true);
                },
                [self, target, m, done, id = *intent](caf::error& err) mutable {
                  auto& s = self->state;
                  count_call(s, "add_client", err);
                  s.abandon(id);
                  auto why = "moving to server " + target.server_id + " failed: " + message_of(err);
                  s.log->warn("client {}: {}", target.email, why);
                  done(false, why, code_of(err) == ec::conflict ? target.server_id : "");
                });
      },
      m.from);
}

/// Disables the stale copy of `email` on `server_id`, so that the user is not active on two
/// panels while it cannot be deleted.
void disable_copy(coordinator_self* self, const std::string& server_id, const probe_actor& probe,
                  const std::string& email) {
  auto record = self->state.client(email);
  if (!record)
    return;
  stale_copy copy{server_id, email, record->server_id, record->moved_at_ms, true};
  record->server_id = server_id;
  record->enable = false;
  self->request(probe, caf::infinite, amend_atom_v, order_of(self->state, *record))
      .then(
          [self, copy](int64_t) {
            if (auto* db = self->state.db)
              if (auto err = db->put_stale(copy))
                self->state.log->error("cannot note the disabled copy of {}: {}", copy.email,
                                       message_of(err));
          },
          [](caf::error&) {});
}

/// Deletes `emails` from the panel `batch` at a time (one inbound list per batch); a batch
/// that fails has its copies disabled one by one, to be deleted at a later try.
void delete_copies(coordinator_self* self, const std::string& server_id, const probe_actor& probe,
                   std::vector<std::string> emails, size_t batch) {
  auto& st = self->state;
  if (emails.empty()) {
    st.cleaning.erase(server_id);
    // Moves that finished meanwhile left copies of their own.
    if (st.stale.count(server_id) > 0 && answers(st, server_id))
      clean_stale_copies(self, server_id);
    return;
  }
  auto cut
      = emails.size() > batch ? emails.end() - static_cast<std::ptrdiff_t>(batch) : emails.begin();
  std::vector<std::string> now(cut, emails.end());
  emails.erase(cut, emails.end());
  self->request(probe, caf::infinite, remove_atom_v, now)
      .then(
          [self, server_id, probe, emails, now, batch](int64_t) mutable {
            count_call(self->state, "delete_client", caf::none);
            for (const auto& email : now)
              self->state.stale_gone(server_id, email);
            delete_copies(self, server_id, probe, std::move(emails), batch);
          },
          [self, server_id, probe, now](caf::error& err) {
            auto& s = self->state;
            count_call(s, "delete_client", err);
            s.cleaning.erase(server_id);
            s.log->warn("cannot delete {} stale copies on server {} ({}); disabling them and "
                        "trying again later",
                        now.size(), server_id, message_of(err));
            for (const auto& email : now)
              disable_copy(self, server_id, probe, email);
          });
}

} // namespace

void review_evacuations(coordinator_self* self) {
  auto& st = self->state;
  std::vector<evacuation_candidate> candidates;
  for (const auto& e : st.registry->entries())
    candidates.push_back(evacuation_candidate{
        e.id, e.enabled_in_config && e.admin != admin_state::disabled,
        e.admin == admin_state::active && e.flags.has(health_flag::active_check_failed)});
  auto review = st.evacuation_rule.review(candidates, st.panic.active(), st.time->wall_ms());
  for (const auto& e : st.registry->entries()) {
    if (auto w = review.waiting.find(e.id); w != review.waiting.end()) {
      st.evacuations.set_waiting(e.id, w->second);
    } else if (auto h = review.held_back.find(e.id); h != review.held_back.end()) {
      if (st.evacuations.status_of(e.id).held_back_because != h->second)
        st.log->warn("server {} is due for evacuation but held back: {}", e.id, h->second);
      st.evacuations.set_held_back(e.id, h->second);
    } else {
      st.evacuations.clear_wait(e.id);
    }
  }
  for (const auto& id : review.start)
    start(self, id, false);
  run_wave(self);
}

caf::expected<evacuation_status> evacuate_server(coordinator_self* self,
                                                 const std::string& server_id) {
  auto& st = self->state;
  const auto* e = st.registry->find(server_id);
  if (e == nullptr)
    return make_error(ec::not_found, "no server " + server_id + " in the fleet");
  // Every move writes its intent first; a store that cannot write would fail them all.
  if (st.db != nullptr)
    if (auto now = st.db->condition(); !now.writable)
      return make_error(ec::store_unavailable, now.reason);
  // No new client may land on a server that is being emptied.
  if (e->admin == admin_state::active)
    if (auto drained = st.set_admin(server_id, admin_state::draining); !drained)
      return std::move(drained.error());
  st.evacuation_rule.started_by_operator(server_id, st.time->wall_ms());
  start(self, server_id, true);
  run_wave(self);
  return st.evacuation_of(server_id);
}

void run_wave(coordinator_self* self) {
  auto& st = self->state;
  if (st.wave_running || !st.evacuations.has_pending())
    return;
  auto per_panel = static_cast<size_t>(std::max<int64_t>(1, st.settings.evacuation_batch));
  auto panels = static_cast<size_t>(std::max<int64_t>(1, st.settings.evacuation_parallel_panels));
  auto moves = st.evacuations.next_wave(per_panel * panels, st.busy);
  if (moves.empty())
    return;
  st.wave_running = true;
  auto tally = std::make_shared<wave_tally>();
  tally->left = moves.size();
  for (const auto& m : moves)
    tally->sources.insert(m.from);
  // Destinations are chosen for the whole wave before any answer arrives.
  wave_destinations wave{per_panel, panels};
  for (const auto& m : moves)
    move_one(self, m, wave, tally);
}

void clean_stale_copies(coordinator_self* self, const std::string& server_id,
                        const std::set<std::string>* on_panel) {
  auto& st = self->state;
  auto copies = st.stale.find(server_id);
  if (copies == st.stale.end() || st.cleaning.count(server_id) > 0)
    return;
  auto probe = st.probes.find(server_id);
  if (probe == st.probes.end())
    return;
  std::vector<std::string> emails;
  std::vector<std::string> gone;
  for (const auto& email : copies->second) {
    if (on_panel != nullptr && on_panel->count(ascii_lower(email)) == 0)
      gone.push_back(email); // the panel no longer holds it
    else
      emails.push_back(email);
  }
  if (!gone.empty()) {
    for (const auto& email : gone)
      st.stale_gone(server_id, email);
  }
  if (emails.empty())
    return;
  st.cleaning.insert(server_id);
  st.log->info("deleting {} copies of moved clients from server {}", emails.size(), server_id);
  auto batch = static_cast<size_t>(std::max<int64_t>(1, st.settings.evacuation_batch));
  delete_copies(self, server_id, probe->second, std::move(emails), batch);
}

void resolve_move(coordinator_self* self, const intent_record& intent, const probe_actor& probe) {
  // No other operation, another move included, may touch the client until its move is
  // resolved: it stays busy until then, across failed attempts too.
  self->state.busy.insert(ascii_lower(intent.email));
  self->request(probe, caf::infinite, verify_atom_v, intent.email)
      .then(
          [self, intent](int64_t inbound) {
            auto& s = self->state;
            s.release(intent.email);
            if (inbound == 0) {
              s.abandon(intent.id);
              s.log->info("intent {}: client {} did not reach server {}, stays on {}", intent.id,
                          intent.email, intent.server_id, intent.from_server_id);
              return;
            }
            auto record = intent.client;
            record.inbound_id = inbound;
            s.moved(intent.id, record, intent.from_server_id);
            s.log->info("intent {}: client {} is on server {}, its move is recorded", intent.id,
                        intent.email, intent.server_id);
          },
          [self, intent](caf::error& err) {
            self->state.log->warn("intent {} (move of {}) stays open: {}", intent.id, intent.email,
                                  message_of(err));
          });
}

} // namespace fleet
