#include "coordinator/coordinator_actor.hpp"

#include "common/panel/probe_actor.hpp"
#include "common/panel/probe_supervision.hpp"
#include "common/unexpected_messages.hpp"
#include "coordinator/agents/probe_relay.hpp"
#include "coordinator/client_flows.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/evacuation_flow.hpp"
#include "coordinator/fleet_reload.hpp"
#include "coordinator/reconciler.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/result.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>

namespace fleet {

namespace {

/// `(flush_atom)`: the coordinator writes the intents announced meanwhile (sent to itself, so
/// every request already in its mailbox joins the same write).
using flush_atom = caf::atom_constant<caf::atom("flush")>;
constexpr flush_atom flush_atom_v{};

/// `(store_atom)`: the store's condition changed (sent by the store's observer, from any
/// thread).
using store_atom = caf::atom_constant<caf::atom("store")>;
constexpr store_atom store_atom_v{};

} // namespace

caf::behavior coordinator(coordinator_self* self, std::shared_ptr<coordinator_state> state_ready,
                          fleet_config config, http_engine* engine) {
  self->state = std::move(*state_ready);
  self->state.schedule_flush = [self] { self->send(self, flush_atom_v); };
  // Agents reach the coordinator over the network: what it does not understand is dropped
  // without rendering it.
  self->set_default_handler(log_and_drop(self->state.log, "the coordinator"));
  if (auto* db = self->state.db) {
    db->on_condition_change([weak = caf::actor_cast<caf::weak_actor_ptr>(self)] {
      if (auto strong = weak.lock())
        caf::anon_send(caf::actor_cast<caf::actor>(strong), store_atom_v);
    });
    // A store that stopped writing before the coordinator listened.
    self->send(self, store_atom_v);
  }
  // Probes are linked: they end with the coordinator. The coordinator supervises them: a
  // probe that fails is started again instead of taking the coordinator down with it.
  // What the local probes run with; a reload replaces both.
  auto probe_settings = std::make_shared<management_settings>(config.management);
  auto probed = std::make_shared<std::map<std::string, server_config>>();
  auto start_probe = [self, engine, probe_settings](const server_config& server) {
    self->state.probes[server.id]
        = spawn_linked_probe(self, http_probe_setup(server, *engine, *probe_settings,
                                                    caf::actor_cast<caf::actor>(self)));
  };
  // Servers behind an agent are probed there.
  for (const auto& server : config.servers)
    if (server.enabled && probed_by(server, "")) {
      probed->emplace(server.id, server);
      start_probe(server);
    }
  supervise_probes(self);
  // Agents: a registered agent is monitored; when it goes (killed, frozen past the link's
  // timeout, shut down) its servers become unreachable until it registers again.
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& s = self->state;
    auto reason = msg.reason == caf::exit_reason::remote_link_unreachable
                      ? "connection lost or heartbeats missed"
                  : msg.reason == caf::exit_reason::user_shutdown ? "the agent shut down"
                                                                  : caf::to_string(msg.reason);
    if (auto gone = s.agents.leave(msg.source, reason, s.time->wall_ms()))
      s.agent_left(*gone, reason);
  });
  // A report on a server behind an agent counts only when that agent sends it.
  auto from_its_agent = [self](const std::string& server_id) {
    auto& s = self->state;
    if (s.agents.agent_of(server_id) == nullptr
        || s.agents.speaks_for(caf::actor_cast<caf::actor_addr>(self->current_sender()), server_id))
      return true;
    s.log->warn("ignored a report on server {} from a sender that is not its agent", server_id);
    return false;
  };
  recover_intents(self);
  auto reconcile_every = config.management.reconcile_interval;
  if (reconcile_every.count() > 0)
    self->delayed_send(self, reconcile_every, reconcile_atom_v);
  // Evacuations are reviewed a few times per `evacuate_after`, and at the health interval
  // when only the operator starts them (failed moves are tried again then).
  auto after = config.management.evacuate_after;
  auto review_every = after.count() > 0 ? std::clamp(after / 10, millis{100},
                                                     config.management.health_check_interval)
                                        : config.management.health_check_interval;
  self->delayed_send(self, review_every, evacuate_atom_v);
  return {
      [=](health_atom, const health_report& report) {
        if (!from_its_agent(report.server_id))
          return;
        auto& s = self->state;
        if (s.on_health(report))
          reconcile(self, report.server_id);
        if (report.verdict == check_verdict::passed)
          if (auto off = s.charge(report); !off.empty())
            amend_limits(self, report.server_id, std::move(off));
        // Copies left by moves go as soon as their panel answers (after a restart too).
        if (report.verdict == check_verdict::passed && s.stale.count(report.server_id) > 0)
          clean_stale_copies(self, report.server_id);
      },
      [=](health_atom, const operations_report& report) {
        if (from_its_agent(report.server_id))
          self->state.on_operations(report);
      },
      [=](hello_atom, uint32_t version, const std::string& agent_id) -> caf::result<uint32_t> {
        if (auto err = self->state.agents.admit(version, agent_id)) {
          self->state.log->error("refused an agent: {}", message_of(err));
          return err;
        }
        return protocol_version;
      },
      [=](register_atom, const std::string& agent_id,
          std::vector<agent_panel>& panels) -> caf::result<std::vector<std::string>> {
        auto& s = self->state;
        if (auto err = s.agents.admit(protocol_version, agent_id))
          return err;
        auto handle = caf::actor_cast<caf::actor>(self->current_sender());
        if (!handle)
          return make_error(ec::invalid_argument, "an agent registers from an actor");
        auto joined = s.agents.join(agent_id, handle, std::move(panels), s.time->wall_ms());
        if (!joined.renewed)
          self->monitor(handle);
        // Requests in flight when the link breaks must still get an answer.
        for (auto& p : joined.accepted)
          p.probe = spawn_probe_relay(self->system(), std::move(p.probe),
                                      caf::actor_cast<caf::actor>(self), p.server_id, agent_id);
        auto accepted = s.agent_joined(agent_id, joined);
        resume_intents(self);
        return accepted;
      },
      [=](select_atom, const selection_criteria& criteria) -> caf::result<selection> {
        auto chosen = self->state.select(criteria);
        if (!chosen)
          return std::move(chosen.error());
        return std::move(*chosen);
      },
      [=](fleet_atom) { return self->state.fleet_health(); },
      [=](servers_atom) { return self->state.servers(); },
      [=](agents_atom) { return self->state.agents.statuses(); },
      [=](history_atom, const std::string& id) -> caf::result<std::vector<health_sample>> {
        auto& s = self->state;
        if (s.registry->find(id) == nullptr)
          return make_error(ec::not_found, "no server " + id + " in the fleet");
        auto h = s.history.find(id);
        if (h == s.history.end())
          return std::vector<health_sample>{};
        return h->second.window(s.time->wall_ms());
      },
      [=](flush_atom) { self->state.flush(); },
      [=](store_atom) { self->state.store_changed(); },
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
      [=](renew_atom, renewal& plan) {
        auto promise = self->make_response_promise<client_view>();
        renew_client(self, promise, std::move(plan));
        return promise;
      },
      [=](user_atom, const std::string& user_id) -> caf::result<std::vector<client_view>> {
        auto& s = self->state;
        client_filter filter;
        filter.user_id = user_id;
        filter.limit = std::numeric_limits<size_t>::max();
        auto found = s.clients(filter);
        if (!found)
          return std::move(found.error());
        std::vector<client_view> out;
        for (auto& r : *found)
          out.push_back(s.view_of(std::move(r)));
        return out;
      },
      [=](hours_atom, const usage_query& q) -> caf::result<std::vector<usage_bucket>> {
        auto& s = self->state;
        if (s.db == nullptr)
          return make_error(ec::internal, "the coordinator runs without a store");
        if (!q.of_server && s.book.find(q.owner) == nullptr)
          return make_error(ec::not_found, "no client " + q.owner + " in the fleet");
        auto found = s.usage_hours(q);
        if (!found)
          return std::move(found.error());
        return std::move(*found);
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
        for (const auto& e : s.registry->entries())
          if (e.state() == server_state::healthy || e.state() == server_state::draining)
            reconcile(self, e.id);
        self->delayed_send(self, s.settings.reconcile_interval, reconcile_atom_v);
      },
      [=](reconcile_atom, const std::string& id) { reconcile(self, id); },
      [=](subscription_atom, const std::string& sub_id) {
        return self->state.subscription_for(sub_id);
      },
      [=](evacuate_atom) {
        // Intents a panel could not settle yet are asked again before anything moves.
        resume_intents(self);
        review_evacuations(self);
        self->delayed_send(self, review_every, evacuate_atom_v);
      },
      [=](evacuate_atom, const std::string& id) -> caf::result<evacuation_status> {
        auto status = evacuate_server(self, id);
        if (!status)
          return std::move(status.error());
        return std::move(*status);
      },
      [=](evacuate_atom, const std::string& id, get_atom) { return self->state.evacuation_of(id); },
      [=](restart_probe_atom, const std::string& id) {
        if (auto server = probed->find(id); server != probed->end())
          start_probe(server->second);
      },
      [=](reload_atom, const reload_plan& plan) -> caf::result<bool> {
        auto& s = self->state;
        if (auto err = check_removals(s, plan))
          return err;
        std::map<std::string, server_config> next;
        for (const auto& server : plan.effective.servers)
          if (server.enabled && probed_by(server, ""))
            next.emplace(server.id, server);
        std::set<std::string> restart;
        for (const auto& c : plan.changed)
          if (c.restart_probe)
            restart.insert(c.id);
        // A probe ends when its server is gone or disabled, or must start again with new
        // settings; unlinked first, so that its end is not taken for a failure.
        for (auto p = s.probes.begin(); p != s.probes.end();) {
          auto local = probed->count(p->first) > 0;
          auto stop = local
                      && (next.count(p->first) == 0 || restart.count(p->first) > 0
                          || plan.probe_settings_changed);
          if (!stop) {
            ++p;
            continue;
          }
          self->unlink_from(p->second);
          self->send_exit(p->second, caf::exit_reason::user_shutdown);
          p = s.probes.erase(p);
        }
        apply_reload(s, plan);
        *probe_settings = plan.effective.management;
        *probed = std::move(next);
        for (const auto& [id, server] : *probed)
          if (s.probes.count(id) == 0)
            start_probe(server);
        return true;
      },
      [=](probe_atom, const std::string& id, get_atom) -> caf::result<probe_actor> {
        auto p = self->state.probes.find(id);
        if (p == self->state.probes.end())
          return make_error(ec::not_found, "server " + id + " has no probe");
        return p->second;
      },
  };
}

} // namespace fleet
