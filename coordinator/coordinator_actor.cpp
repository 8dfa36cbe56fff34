#include "coordinator/coordinator_actor.hpp"

#include "common/panel/probe_actor.hpp"
#include "coordinator/client_flows.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/drift/reconciler.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/result.hpp>
#include <spdlog/spdlog.h>

namespace fleet {

caf::behavior coordinator(coordinator_self* self, std::shared_ptr<coordinator_state> state_ready,
                          fleet_config config, http_engine* engine) {
  self->state = std::move(*state_ready);
  self->state.schedule_flush = [self] { self->send(self, flush_atom_v); };
  for (const auto& server : config.servers)
    if (server.enabled)
      self->state.probes[server.id] = self->spawn<caf::linked>(
          probe, server, engine, config.management, caf::actor_cast<caf::actor>(self));
  recover_intents(self);
  auto reconcile_every = config.management.reconcile_interval;
  if (reconcile_every.count() > 0)
    self->delayed_send(self, reconcile_every, reconcile_atom_v);
  return {
      [=](health_atom, const health_report& report) {
        if (self->state.on_health(report))
          reconcile(self, report.server_id);
      },
      [=](select_atom, const selection_criteria& criteria) -> caf::result<selection> {
        auto chosen = self->state.select(criteria);
        if (!chosen)
          return std::move(chosen.error());
        return std::move(*chosen);
      },
      [=](fleet_atom) { return self->state.fleet_health(); },
      [=](servers_atom) { return self->state.servers(); },
      [=](flush_atom) { self->state.flush_intents(); },
      [=](metrics_atom) { return self->state.metrics_text(); },
      [=](admin_atom, const std::string& id, admin_state admin) -> caf::result<server_health> {
        auto h = self->state.set_admin(id, admin);
        if (!h)
          return std::move(h.error());
        return std::move(*h);
      },
      [=](create_atom, create_request& req) {
        auto promise = self->make_response_promise<client_record>();
        create_client(self, promise, std::move(req));
        return promise;
      },
      [=](update_atom, client_patch& patch) {
        auto promise = self->make_response_promise<client_record>();
        update_client(self, promise, std::move(patch));
        return promise;
      },
      [=](delete_atom, std::string& email) {
        auto promise = self->make_response_promise<bool>();
        delete_client(self, promise, std::move(email));
        return promise;
      },
      [=](get_atom, std::string& email) {
        auto promise = self->make_response_promise<client_view>();
        read_client(self, promise, std::move(email));
        return promise;
      },
      [=](get_atom, const client_filter& filter) -> caf::result<std::vector<client_record>> {
        auto found = self->state.clients(filter);
        if (!found)
          return std::move(found.error());
        return std::move(*found);
      },
      [=](drift_atom) {
        std::vector<drift_report> out;
        for (const auto& [id, report] : self->state.drift)
          out.push_back(report);
        return out;
      },
      [=](reconcile_atom) {
        auto& s = self->state;
        for (const auto& [id, h] : s.health)
          if (h.state == server_state::healthy || h.state == server_state::draining)
            reconcile(self, id);
        self->delayed_send(self, s.settings.reconcile_interval, reconcile_atom_v);
      },
      [=](reconcile_atom, const std::string& id) { reconcile(self, id); },
  };
}

} // namespace fleet
