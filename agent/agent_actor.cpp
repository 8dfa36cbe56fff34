#include "agent/agent_actor.hpp"

#include "agent/reconnect_backoff.hpp"
#include "common/logging.hpp"
#include "common/panel/probe_actor.hpp"
#include "common/panel/probe_supervision.hpp"
#include "common/unexpected_messages.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/node_id.hpp>
#include <spdlog/spdlog.h>

#include <set>

namespace fleet {

namespace {

using connect_atom = caf::connect_atom;

/// Self message: try to reach the coordinator now.
using dial_atom = caf::atom_constant<caf::atom("dial")>;
constexpr dial_atom dial_atom_v{};

/// First delay before connecting again, and the longest.
constexpr millis first_retry{250};
constexpr millis longest_retry{10'000};

void schedule_dial(agent_self* self) {
  auto& s = self->state;
  // One attempt at a time: a broken link may be reported twice (a failed request and the
  // coordinator's down message).
  if (s.dial_pending)
    return;
  s.dial_pending = true;
  auto delay = reconnect_delay(s.attempt++, first_retry, longest_retry, s.rng);
  self->delayed_send(self, delay, dial_atom_v);
}

/// Ends the link to the coordinator (if any) and tries again later.
void drop_link(agent_self* self, const std::string& why) {
  auto& s = self->state;
  if (s.gate)
    self->demonitor(s.gate.address());
  s.gate = nullptr;
  s.registered = false;
  s.log->warn("{}; connecting again", why);
  schedule_dial(self);
}

/// A refusal by the coordinator ends the agent; anything else is worth another attempt.
void fail_step(agent_self* self, const char* step, const caf::error& err) {
  if (is_fleet_error(err)) {
    self->state.log->error("the coordinator refused this agent: {}", message_of(err));
    self->quit(err);
    return;
  }
  drop_link(self, std::string{step} + " failed: " + self->system().render(err));
}

std::vector<agent_panel> panels_of(const agent_state& s) {
  std::vector<agent_panel> out;
  for (const auto& [id, probe] : s.probes)
    out.push_back({id, probe});
  return out;
}

void register_panels(agent_self* self) {
  const auto& st = self->state;
  self->request(st.gate, st.settings.link.timeout, register_atom_v, st.settings.id, panels_of(st))
      .then(
          [self](std::vector<std::string>& accepted) {
            auto& s = self->state;
            s.registered = true;
            s.attempt = 0;
            std::set<std::string> taken(accepted.begin(), accepted.end());
            for (const auto& [id, server] : s.servers)
              if (taken.count(id) == 0)
                s.log->warn("the coordinator does not assign server {} to agent {}; its "
                            "reports are not used",
                            id, s.settings.id);
            s.log->info("registered with the coordinator at {}: {} of {} servers",
                        s.settings.coordinator, taken.size(), s.servers.size());
            // What the probes learned while the link was down.
            for (const auto& [id, report] : s.latest)
              if (taken.count(id) > 0)
                self->send(s.gate, health_atom_v, report);
          },
          [self](caf::error& err) { fail_step(self, "registering", err); });
}

void say_hello(agent_self* self) {
  const auto& st = self->state;
  self->request(st.gate, st.settings.link.timeout, hello_atom_v, st.version, st.settings.id)
      .then(
          [self](uint32_t theirs) {
            self->state.log->debug("the coordinator speaks protocol {}", theirs);
            register_panels(self);
          },
          [self](caf::error& err) { fail_step(self, "saying hello", err); });
}

void dial(agent_self* self) {
  const auto& st = self->state;
  if (st.gate)
    return;
  auto where = parse_host_port(st.settings.coordinator);
  // Never the blocking remote_actor: it hangs on a peer that accepts but does not answer.
  self->request(st.connector, st.settings.link.timeout, connect_atom{}, where->host,
                static_cast<uint16_t>(where->port))
      .then(
          [self](const caf::node_id&, caf::strong_actor_ptr& ptr,
                 const std::set<std::string>& offered) {
            auto& s = self->state;
            if (!ptr) {
              drop_link(self, "nothing is offered to agents at " + s.settings.coordinator);
              return;
            }
            // The published interface is checked before anything is sent: a coordinator of
            // another version refuses the hello anyway, but one whose gate differs in type
            // would drop our messages unanswered.
            if (offered != self->system().message_types<gate_actor>()) {
              drop_link(self, "the coordinator at " + s.settings.coordinator
                                  + " offers another agent interface; run the same xui-fleet "
                                    "version on both");
              return;
            }
            s.gate = caf::actor_cast<gate_actor>(std::move(ptr));
            self->monitor(s.gate);
            say_hello(self);
          },
          [self](caf::error& err) {
            auto& s = self->state;
            auto hint = err == caf::sec::disconnect_during_handshake
                            ? " (TLS handshake refused: do both ends trust each other's CA?)"
                            : "";
            drop_link(self, "cannot reach the coordinator at " + s.settings.coordinator + ": "
                                + self->system().render(err) + hint);
          });
}

} // namespace

caf::behavior agent(agent_self* self, fleet_config config, uint32_t version, caf::actor connector,
                    http_engine* engine) {
  auto& init = self->state;
  init.settings = config.agent;
  init.management = config.management;
  init.version = version;
  init.connector = std::move(connector);
  init.log = log_for("agent");
  // The coordinator reaches the agent over the network: what it does not understand is
  // dropped without rendering it.
  self->set_default_handler(log_and_drop(init.log, "agent " + init.settings.id));
  for (const auto& server : config.servers)
    if (server.enabled && probed_by(server, init.settings.id))
      init.servers.emplace(server.id, server);
  auto start_probe = [self, engine](const server_config& server) {
    auto& s = self->state;
    s.probes[server.id] = spawn_linked_probe(
        self, http_probe_setup(server, *engine, s.management, caf::actor_cast<caf::actor>(self)));
  };
  for (const auto& [id, server] : init.servers)
    start_probe(server);
  supervise_probes(self);
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& s = self->state;
    if (s.gate && msg.source == s.gate.address())
      drop_link(self, "lost the coordinator (" + caf::to_string(msg.reason) + ")");
  });
  self->send(self, dial_atom_v);
  return {
      [=](dial_atom) {
        self->state.dial_pending = false;
        dial(self);
      },
      [=](health_atom, health_report& report) {
        auto& s = self->state;
        if (s.registered)
          self->send(s.gate, health_atom_v, report);
        s.latest[report.server_id] = std::move(report);
      },
      [=](health_atom, operations_report& report) {
        // Failures seen while the link is down are counted again by the next ones.
        if (self->state.registered)
          self->send(self->state.gate, health_atom_v, std::move(report));
      },
      [=](restart_probe_atom, const std::string& id) {
        auto& s = self->state;
        if (auto server = s.servers.find(id); server != s.servers.end())
          start_probe(server->second);
        // The coordinator must learn the new probe's handle.
        if (s.registered)
          register_panels(self);
      },
  };
}

} // namespace fleet
