#include "coordinator/client_flows.hpp"

#include "common/panel/classify.hpp"
#include "common/panel/probe_actor.hpp"
#include "common/text.hpp"
#include "coordinator/agents/probe_relay.hpp"
#include "coordinator/client_limits.hpp"
#include "coordinator/evacuation_flow.hpp"

#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>

namespace fleet {

client_order order_of(const coordinator_state& st, const client_record& r, bool usage_reset) {
  client_order o;
  if (const auto* server = st.registry->find(r.server_id))
    o.flow = server->client_flow;
  o.email = r.email;
  o.uuid = r.uuid;
  o.sub_id = r.sub_id;
  // The panel stops the client by itself when the fleet quota is used up: its own counter
  // plus what is left fleet-wide.
  auto used = usage_reset ? 0 : st.ledger.used(r.email);
  const auto* counted = st.ledger.find(r.server_id, r.email);
  o.total_bytes = panel_quota(terms_of(r), used, counted != nullptr ? counted->last.total() : 0);
  o.expiry_time_ms = r.expiry_time_ms;
  o.limit_ip = r.limit_ip;
  o.enable = r.active();
  return o;
}

caf::expected<probe_actor> probe_of(const coordinator_state& st, const std::string& server_id) {
  auto probe = st.probes.find(server_id);
  if (probe != st.probes.end())
    return probe->second;
  if (auto agent = st.agents.agent_of(server_id))
    return make_error(ec::no_server_available,
                      "server " + server_id + " is unreachable: its agent " + *agent
                          + " is not connected; try again when it is back");
  return make_error(ec::no_server_available, "server " + server_id
                                                 + " is not probed (disabled in the "
                                                   "configuration); enable it to change its "
                                                   "clients");
}

void count_call(coordinator_state& st, const char* operation, const caf::error& err) {
  ++st.metrics.panel_calls[{operation, err ? to_string(code_of(err)) : "ok"}];
}

namespace {

using create_done = std::function<void(caf::expected<client_record>)>;

void keep_possible_copies(coordinator_state& s, const std::vector<std::string>& unsure,
                          const std::string& email, const std::string& lives_on);

/// A create whose agent was lost while it ran may be on the panel or not: its intent stays
/// open and the email busy (no failover, no second create of it) until the agent is back and
/// the panel says which; the caller gets the error meanwhile.
void strand_create(coordinator_self* self, const create_done& done, uint64_t intent,
                   const client_record& record, const std::vector<std::string>& unsure,
                   caf::error err) {
  auto& s = self->state;
  // Wherever the client turns out to be, it is not on the servers tried before.
  keep_possible_copies(s, unsure, record.email, record.server_id);
  s.log->warn("creating client {} on server {}: {}; the create is settled when the agent is back",
              record.email, record.server_id, message_of(err));
  done(std::move(err));
  s.busy.insert(ascii_lower(record.email));
  intent_record open;
  open.id = intent;
  open.kind = "create";
  open.email = record.email;
  open.server_id = record.server_id;
  open.client = record;
  open.created_at_ms = s.time->wall_ms();
  s.stranded_intents.push_back(std::move(open));
  // The agent may be back already (a new link while the old one was being given up).
  resume_intents(self);
}

/// Whether an add that failed with `err` may still have reached the panel: a timeout, a lost
/// connection, a server error or a garbled answer (what a retry could pass), unless the
/// request never got to the probe.
bool may_have_landed(const caf::error& err) {
  if (!is_fleet_error(err))
    return true;
  return is_retryable(err) && details_of(err).find("\"probe_down\"") == std::string::npos;
}

/// Keeps what a create of `email` may have left on each of `unsure` (servers where it failed
/// without knowing whether the add landed) as stale copies: they are deleted there once the
/// panel answers, like the copies moves leave. `lives_on` is the server the client was
/// created on, or empty when the create failed everywhere (the copies are orphans then).
void keep_possible_copies(coordinator_state& s, const std::vector<std::string>& unsure,
                          const std::string& email, const std::string& lives_on) {
  for (const auto& server_id : unsure) {
    s.log->info("client {} may {}be on server {}, where its create had no clear outcome; "
                "removed there once that panel answers",
                email, lives_on.empty() ? "" : "also ", server_id);
    s.stale[server_id].insert(email);
    if (s.db != nullptr)
      if (auto err = s.db->put_stale({server_id, email, lives_on, s.time->wall_ms(), false}))
        s.log->error("cannot note the possible copy of {} on server {}: {}", email, server_id,
                     message_of(err));
  }
}

/// Places `record` on the next eligible server, never one of `tried`; `unsure` are those
/// of `tried` where the add may have landed.
void place(coordinator_self* self, create_done done, create_request req, client_record record,
           std::vector<std::string> tried, std::vector<std::string> unsure) {
  auto& st = self->state;
  auto chosen = st.choose_for(req, tried);
  if (!chosen) {
    // Failed everywhere: what the tries may have left are orphans, deleted when their
    // panels answer; the email is no client, free for a new create.
    keep_possible_copies(st, unsure, record.email, "");
    auto held = st.holders_of(record.email);
    if (tried.empty() && held.empty())
      return done(std::move(chosen.error()));
    auto why = message_of(chosen.error());
    if (!held.empty())
      why += " (" + join(held) + " may still hold a copy of " + record.email
             + " and take no new one until it is removed there, once they answer)";
    if (tried.empty())
      return done(make_error(code_of(chosen.error()), why, details_of(chosen.error())));
    return done(make_error(code_of(chosen.error()),
                           "client " + record.email + " could not be created on " + join(tried)
                               + ", and " + why,
                           details_of(chosen.error())));
  }
  auto probe = probe_of(st, chosen->server_id);
  if (!probe)
    return done(std::move(probe.error()));
  record.server_id = chosen->server_id;
  // The placement counts from now, not from the panel's answer: the creates of a burst see
  // those in flight before them and spread over the fleet instead of all taking the one
  // least loaded server. A create that fails there takes its count back.
  st.registry->placed(record.server_id);
  st.begin("create", record, [=, target = *probe](caf::expected<uint64_t> intent) mutable {
    if (!intent) {
      self->state.registry->unplaced(record.server_id);
      return done(std::move(intent.error()));
    }
    self->request(target, caf::infinite, place_atom_v, order_of(self->state, record))
        .then(
            [=](int64_t inbound) mutable {
              count_call(self->state, "add_client", caf::none);
              record.inbound_id = inbound;
              keep_possible_copies(self->state, unsure, record.email, record.server_id);
              self->state.log->info("client {} created on server {} (inbound {})", record.email,
                                    record.server_id, inbound);
              self->state.created(*intent, record, [done, record] { done(record); });
            },
            [=](caf::error& failure) mutable {
              auto& s = self->state;
              auto err = panel_failure(std::move(failure), record.server_id);
              count_call(s, "add_client", err);
              // A stranded create counts again if its recovery finds it on the panel.
              s.registry->unplaced(record.server_id);
              if (agent_lost(err))
                return strand_create(self, done, *intent, record, unsure, std::move(err));
              s.abandon(*intent);
              if (may_have_landed(err))
                unsure.push_back(record.server_id);
              if (code_of(err) == ec::conflict || !s.settings.auto_failover
                  || !req.server_id.empty()) {
                keep_possible_copies(s, unsure, record.email, "");
                return done(std::move(err));
              }
              s.log->warn("creating client {} on server {} failed, failing over: {}", record.email,
                          record.server_id, message_of(err));
              tried.push_back(record.server_id);
              place(self, done, req, record, tried, unsure);
            });
  });
}

/// Sends an update or delete of `target` to its probe and records the outcome; shared by the
/// API operations and intent recovery. `done` gets the outcome after it is recorded.
template <class Done>
void mutate(coordinator_self* self, uint64_t intent, bool remove, client_record target,
            client_order order, probe_actor probe, Done done) {
  auto on_error
      = [self, intent, remove, done, server_id = target.server_id](caf::error& failure) mutable {
          auto err = panel_failure(std::move(failure), server_id);
          count_call(self->state, remove ? "delete_client" : "update_client", err);
          self->state.abandon(intent);
          done(std::move(err));
        };
  if (remove) {
    self->request(probe, caf::infinite, remove_atom_v, target.email)
        .then(
            [self, intent, target, done](bool was_there) mutable {
              count_call(self->state, "delete_client", caf::none);
              self->state.deleted(intent, target);
              self->state.log->info("client {} deleted from server {}{}", target.email,
                                    target.server_id, was_there ? "" : " (it was not there)");
              done(target);
            },
            on_error);
    return;
  }
  auto updated = [self, intent, target, done](const char* how, int64_t inbound) mutable {
    target.inbound_id = inbound;
    self->state.updated(intent, target);
    self->state.log->info("client {} {} on server {}", target.email, how, target.server_id);
    done(target);
  };
  self->request(probe, caf::infinite, amend_atom_v, order)
      .then(
          [self, updated](int64_t inbound) mutable {
            count_call(self->state, "update_client", caf::none);
            updated("updated", inbound);
          },
          [self, probe, order, updated, on_error](caf::error& err) mutable {
            if (code_of(err) != ec::not_found || !self->state.settings.drift_repair)
              return on_error(err);
            // Recorded but gone from its panel (wiped, restored from an old backup): drift,
            // repaired here as the reconcile would, with the changed limits, the same key
            // and sub_id.
            count_call(self->state, "update_client", err);
            self->request(probe, caf::infinite, place_atom_v, order)
                .then(
                    [self, updated](int64_t inbound) mutable {
                      count_call(self->state, "add_client", caf::none);
                      updated("re-added (it was missing on its panel)", inbound);
                    },
                    on_error);
          });
}

/// Runs an update (`remove` off) or delete of the recorded client `email`, with `change`
/// applied to its record first (it returns an error to refuse the change, and whether the
/// change forgets the client's usage so far).
template <class Change, class Done>
void change_client(coordinator_self* self, caf::response_promise promise, const std::string& email,
                   bool remove, Change change, Done answer) {
  auto& st = self->state;
  auto record = st.client(email);
  if (!record)
    return promise.deliver(std::move(record.error()));
  if (auto err = st.claim(record->email))
    return promise.deliver(std::move(err));
  auto release_and = [self, promise, email = record->email](auto&& x) mutable {
    self->state.release(email);
    promise.deliver(std::forward<decltype(x)>(x));
  };
  auto target = *record;
  auto usage_reset = change(target);
  if (!usage_reset)
    return release_and(std::move(usage_reset.error()));
  if (!remove)
    st.settle_limit(target, *usage_reset);
  auto order = order_of(st, target, *usage_reset);
  auto probe = probe_of(st, target.server_id);
  if (!probe)
    return release_and(std::move(probe.error()));
  st.begin(remove ? "delete" : "update", target,
           [=, target_probe = *probe](caf::expected<uint64_t> intent) mutable {
             if (!intent)
               return release_and(std::move(intent.error()));
             mutate(self, *intent, remove, target, order, target_probe,
                    [release_and, answer](caf::expected<client_record> outcome) mutable {
                      if (!outcome)
                        return release_and(std::move(outcome.error()));
                      release_and(answer(*outcome));
                    });
           });
}

} // namespace

void create_client(coordinator_self* self, caf::response_promise promise, create_request req) {
  auto& st = self->state;
  auto key = req.idempotency_key;
  create_done answer
      = [promise](caf::expected<client_record> x) mutable { promise.deliver(std::move(x)); };
  if (!key.empty()) {
    auto admitted = st.keyed_creates.join(key, req.body_digest, answer);
    if (admitted == idempotent_creates::admission::conflict)
      return answer(idempotent_creates::conflict_error(key));
    if (admitted == idempotent_creates::admission::joined)
      return;
    if (st.db != nullptr) {
      auto earlier = st.db->answer(key);
      if (!earlier)
        return answer(std::move(earlier.error()));
      if (earlier->has_value())
        return answer((*earlier)->body_digest == req.body_digest
                          ? caf::expected<client_record>{(*earlier)->client}
                          : caf::expected<client_record>{idempotent_creates::conflict_error(key)});
    }
    // The first answer goes to everyone who asked with this key meanwhile, and is kept.
    st.keyed_creates.start(key, req.body_digest, std::move(answer));
    answer = [self, key, digest = req.body_digest](caf::expected<client_record> x) {
      auto& s = self->state;
      auto tell_all = [self, key, x] {
        for (auto& waiting : self->state.keyed_creates.finish(key))
          waiting(x);
      };
      if (!x)
        return tell_all();
      s.keep_answer(key, idempotent_answer{digest, *x}, tell_all);
    };
  }
  auto record = st.prepare(req);
  if (!record)
    return answer(std::move(record.error()));
  if (auto err = st.claim(record->email))
    return answer(std::move(err));
  auto done = [self, email = record->email, answer](caf::expected<client_record> x) {
    self->state.release(email);
    answer(std::move(x));
  };
  // Copies of this email left on servers are deleted there by email: no new one goes there
  // until they are gone.
  auto held = st.holders_of(record->email);
  if (!req.server_id.empty() && std::count(held.begin(), held.end(), req.server_id) > 0)
    return done(make_error(ec::no_server_available,
                           "server " + req.server_id + " may still hold a copy of client "
                               + record->email
                               + " from an earlier create or move, and takes no new one until "
                                 "it is removed there, once the server answers; try again then",
                           R"({"reason":"stale_copy"})"));
  req.criteria.exclude_ids.insert(req.criteria.exclude_ids.end(), held.begin(), held.end());
  place(self, std::move(done), std::move(req), std::move(*record), {}, {});
}

void update_client(coordinator_self* self, caf::response_promise promise, client_patch patch) {
  auto email = patch.email;
  change_client(
      self, std::move(promise), email, false,
      [patch](client_record& r) -> caf::expected<bool> {
        if (patch.total_gb)
          r.total_gb = *patch.total_gb;
        if (patch.expiry_time_ms)
          r.expiry_time_ms = *patch.expiry_time_ms;
        if (patch.limit_ip)
          r.limit_ip = *patch.limit_ip;
        if (patch.enable)
          r.enable = *patch.enable;
        return false;
      },
      [](const client_record& r) { return r; });
}

void renew_client(coordinator_self* self, caf::response_promise promise, renewal plan) {
  auto email = plan.email;
  auto now = self->state.time->wall_ms();
  change_client(
      self, std::move(promise), email, false,
      [plan, now](client_record& r) {
        plan_limits limits{r.total_gb, r.expiry_time_ms};
        auto reset = apply_renewal(plan, now, limits);
        r.total_gb = limits.total_gb;
        r.expiry_time_ms = limits.expiry_time_ms;
        return reset;
      },
      [self, plan](const client_record& r) {
        auto& s = self->state;
        if (plan.reset_usage)
          s.reset_usage(r.email);
        s.emit("client.renewed", r.server_id, r.email,
               {{"total_gb", r.total_gb},
                {"expiry_time_ms", r.expiry_time_ms},
                {"reset_usage", plan.reset_usage},
                {"limited", r.limited.empty() ? nlohmann::json() : nlohmann::json(r.limited)}});
        return s.view_of(r);
      });
}

void amend_limits(coordinator_self* self, const std::string& server_id,
                  std::vector<std::string> emails) {
  auto& st = self->state;
  auto probe = probe_of(st, server_id);
  if (!probe)
    return;
  for (auto& email : emails) {
    auto record = st.client(email);
    if (!record || record->server_id != server_id || st.claim(email))
      continue;
    self->request(*probe, caf::infinite, amend_atom_v, order_of(st, *record))
        .then(
            [self, email, server_id, active = record->active()](int64_t) {
              auto& s = self->state;
              s.release(email);
              count_call(s, "update_client", caf::none);
              s.log->info("client {} on server {}: {}", email, server_id,
                          active ? "enabled there with the quota it has left" : "stopped there");
            },
            [self, email, server_id](caf::error& failure) {
              auto& s = self->state;
              auto err = panel_failure(std::move(failure), server_id);
              s.release(email);
              count_call(s, "update_client", err);
              s.log->warn("client {} on server {}: its limits could not be applied, tried "
                          "again after the next check: {}",
                          email, server_id, message_of(err));
            });
  }
}

void delete_client(coordinator_self* self, caf::response_promise promise, std::string email) {
  change_client(
      self, std::move(promise), email, true,
      [](client_record&) -> caf::expected<bool> { return false; },
      [](const client_record&) { return true; });
}

void read_client(coordinator_self* self, caf::response_promise promise, std::string email) {
  auto& st = self->state;
  auto record = st.client(email);
  if (!record)
    return promise.deliver(std::move(record.error()));
  auto view = st.view_of(std::move(*record));
  auto probe = probe_of(st, view.record.server_id);
  if (!probe) {
    view.usage_error = message_of(probe.error());
    return promise.deliver(std::move(view));
  }
  self->request(*probe, caf::infinite, usage_atom_v, view.record.email)
      .then(
          [promise, view](const client_usage& usage) mutable {
            view.usage = usage;
            promise.deliver(std::move(view));
          },
          [promise, view](caf::error& err) mutable {
            view.usage_error = message_of(panel_failure(std::move(err), view.record.server_id));
            promise.deliver(std::move(view));
          });
}

namespace {

/// Finishes or rolls back one intent a crash left open by asking the panel through `probe`.
void resolve_intent(coordinator_self* self, intent_record intent, const probe_actor& probe) {
  if (intent.kind == "move")
    return resolve_move(self, intent, probe);
  if (intent.kind == "update" || intent.kind == "delete") {
    mutate(self, intent.id, intent.kind == "delete", intent.client,
           order_of(self->state, intent.client), probe,
           [self, intent](caf::expected<client_record> outcome) {
             if (outcome)
               self->state.log->info("intent {}: {} of client {} finished", intent.id, intent.kind,
                                     intent.email);
             else
               self->state.log->warn("intent {}: {} of client {} failed, closed: {}", intent.id,
                                     intent.kind, intent.email, message_of(outcome.error()));
           });
    return;
  }
  // The client stays busy until its create is resolved, so that no new create of the same
  // email runs meanwhile.
  self->state.busy.insert(ascii_lower(intent.email));
  self->request(probe, caf::infinite, verify_atom_v, intent.email)
      .then(
          [self, intent](int64_t inbound) mutable {
            auto& s = self->state;
            s.release(intent.email);
            if (inbound == 0) {
              s.abandon(intent.id);
              s.log->info("intent {}: client {} is not on server {}, rolled back", intent.id,
                          intent.email, intent.server_id);
              return;
            }
            intent.client.inbound_id = inbound;
            s.registry->placed(intent.server_id);
            s.created(intent.id, intent.client);
            s.log->info("intent {}: client {} is on server {}, recorded", intent.id, intent.email,
                        intent.server_id);
          },
          [self, intent](caf::error& err) {
            auto& s = self->state;
            s.log->warn("intent {} stays open and is tried again: {}", intent.id, message_of(err));
            s.stranded_intents.push_back(intent);
          });
}

} // namespace

void recover_intents(coordinator_self* self) {
  auto& st = self->state;
  if (st.db == nullptr)
    return;
  auto open = st.db->open_intents();
  if (!open) {
    st.log->error("cannot read open intents: {}", message_of(open.error()));
    return;
  }
  if (!open->empty())
    st.log->info("resolving {} intents left open by the last run", open->size());
  for (auto& intent : *open) {
    if (auto probe = st.probes.find(intent.server_id); probe != st.probes.end()) {
      resolve_intent(self, std::move(intent), probe->second);
    } else if (auto agent = st.agents.agent_of(intent.server_id)) {
      st.log->info("intent {} ({} {} on server {}) waits for agent {}", intent.id, intent.kind,
                   intent.email, intent.server_id, *agent);
      st.stranded_intents.push_back(std::move(intent));
    } else {
      st.log->warn("intent {} ({} {} on server {}) stays open: the server is not probed", intent.id,
                   intent.kind, intent.email, intent.server_id);
    }
  }
}

void resume_intents(coordinator_self* self) {
  auto& st = self->state;
  auto waiting = std::move(st.stranded_intents);
  st.stranded_intents.clear();
  for (auto& intent : waiting) {
    if (auto probe = st.probes.find(intent.server_id); probe != st.probes.end())
      resolve_intent(self, std::move(intent), probe->second);
    else
      st.stranded_intents.push_back(std::move(intent));
  }
}

} // namespace fleet
