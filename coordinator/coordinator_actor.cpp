#include "coordinator/coordinator_actor.hpp"

#include "common/panel/probe_actor.hpp"
#include "coordinator/coordinator_messages.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/result.hpp>
#include <spdlog/spdlog.h>

namespace fleet {

namespace {

using coordinator_actor = caf::stateful_actor<coordinator_state>;

client_order order_of(const client_record& r) {
  client_order o;
  o.email = r.email;
  o.uuid = r.uuid;
  o.sub_id = r.sub_id;
  o.total_bytes = static_cast<int64_t>(r.total_gb * 1024.0 * 1024.0 * 1024.0);
  o.expiry_time_ms = r.expiry_time_ms;
  o.enable = r.enable;
  return o;
}

/// Places `record` on the next eligible server; on failure after the probe's retries, and
/// with `auto_failover` on, tries the next one. A conflict never fails over.
void place(coordinator_actor* self, caf::response_promise promise, create_request req,
           client_record record, std::vector<std::string> tried) {
  auto& st = self->state;
  auto chosen = st.choose_for(req, tried);
  if (!chosen) {
    if (tried.empty())
      return promise.deliver(chosen.error());
    std::string list;
    for (const auto& t : tried)
      list += (list.empty() ? "" : ", ") + t;
    return promise.deliver(
        make_error(code_of(chosen.error()), "client " + record.email + " could not be created on "
                                                + list + ", and " + message_of(chosen.error())));
  }
  auto server_id = chosen->server_id;
  auto probe = st.probes.find(server_id);
  if (probe == st.probes.end())
    return promise.deliver(make_error(ec::internal, "server " + server_id + " has no probe"));
  auto intent = st.begin_create(record, server_id);
  if (!intent)
    return promise.deliver(intent.error());
  self->request(probe->second, caf::infinite, place_atom_v, order_of(record))
      .then(
          [=](int64_t inbound) mutable {
            record.server_id = server_id;
            record.inbound_id = inbound;
            self->state.created(*intent, record);
            self->state.log->info("client {} created on server {} (inbound {})", record.email,
                                  server_id, inbound);
            promise.deliver(record);
          },
          [=](caf::error& err) mutable {
            auto& s = self->state;
            s.abandon(*intent);
            if (code_of(err) == ec::conflict || !s.settings.auto_failover || !req.server_id.empty())
              return promise.deliver(err);
            s.log->warn("creating client {} on server {} failed, failing over: {}", record.email,
                        server_id, message_of(err));
            tried.push_back(server_id);
            place(self, promise, req, record, tried);
          });
}

/// Finishes or rolls back the creations a crash left open: a client the panel has is
/// recorded, one it does not have was never acknowledged and is forgotten.
void recover_intents(coordinator_actor* self) {
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
    auto probe = st.probes.find(intent.server_id);
    if (intent.kind != "create" || probe == st.probes.end()) {
      st.log->warn("intent {} ({} {} on server {}) stays open: cannot resolve it now", intent.id,
                   intent.kind, intent.email, intent.server_id);
      continue;
    }
    self->request(probe->second, caf::infinite, verify_atom_v, intent.email)
        .then(
            [=](int64_t inbound) mutable {
              auto& s = self->state;
              if (inbound == 0) {
                s.abandon(intent.id);
                s.log->info("intent {}: client {} is not on server {}, rolled back", intent.id,
                            intent.email, intent.server_id);
                return;
              }
              intent.client.inbound_id = inbound;
              s.created(intent.id, intent.client);
              s.log->info("intent {}: client {} is on server {}, recorded", intent.id, intent.email,
                          intent.server_id);
            },
            [=](caf::error& err) {
              self->state.log->warn("intent {} stays open: {}", intent.id, message_of(err));
            });
  }
}

} // namespace

caf::behavior coordinator(coordinator_actor* self, std::shared_ptr<coordinator_state> state_ready,
                          fleet_config config, http_engine* engine) {
  self->state = std::move(*state_ready);
  for (const auto& server : config.servers)
    if (server.enabled)
      self->state.probes[server.id] = self->spawn<caf::linked>(
          probe, server, engine, config.management, caf::actor_cast<caf::actor>(self));
  recover_intents(self);
  return {
      [=](health_atom, const health_report& report) { self->state.on_health(report); },
      [=](select_atom, const selection_criteria& criteria) -> caf::result<selection> {
        auto chosen = self->state.select(criteria);
        if (!chosen)
          return std::move(chosen.error());
        return std::move(*chosen);
      },
      [=](fleet_atom) { return self->state.fleet_health(); },
      [=](create_atom, const create_request& req) -> caf::result<client_record> {
        auto record = self->state.prepare(req);
        if (!record)
          return std::move(record.error());
        auto promise = self->make_response_promise<client_record>();
        place(self, promise, req, std::move(*record), {});
        return promise;
      },
  };
}

} // namespace fleet
