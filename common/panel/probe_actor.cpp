#include "common/panel/probe_actor.hpp"

#include "common/logging.hpp"
#include "common/panel/panel_check.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace fleet {

namespace {

check_verdict parse_verdict(const std::string& v) {
  if (v == "passed")
    return check_verdict::passed;
  if (v == "auth_failure")
    return check_verdict::auth_failure;
  if (v == "xray_down")
    return check_verdict::xray_down;
  return check_verdict::network_failure;
}

} // namespace

health_report probe_state::apply(health_report report) {
  report.server_id = server.id;
  auto transition = tracker->record(parse_verdict(report.verdict), report.last_error);
  report.changed = transition == health_transition::changed;
  report.state = to_string(tracker->state());
  report.consecutive_failures = tracker->consecutive_failures();
  report.error_count = tracker->error_count();
  recent.push_back(report.verdict == "passed");
  while (recent.size() > recent_capacity)
    recent.pop_front();
  report.availability = static_cast<double>(std::count(recent.begin(), recent.end(), true))
                        / static_cast<double>(recent.size());
  return report;
}

caf::behavior probe(caf::stateful_actor<probe_state>* self, server_config server,
                    http_engine* engine, management_settings settings, caf::actor coordinator) {
  auto& st = self->state;
  st.log = log_for("probe");
  st.client = std::make_shared<panel_client>(
    *engine, panel_endpoint::from(server, settings.health_check_timeout));
  st.tracker = std::make_unique<health_tracker>(health_settings::from(
    settings.health_check_interval, settings.healthy_threshold, settings.unhealthy_threshold));
  st.rng.seed(std::hash<std::string>{}(server.id) ^ static_cast<uint64_t>(self->id()));
  st.coordinator = std::move(coordinator);
  // Availability covers 24 h of checks at the configured interval.
  st.recent_capacity = static_cast<size_t>(
    std::clamp<int64_t>(86'400'000 / std::max<int64_t>(settings.health_check_interval.count(), 1),
                        1, 100'000));
  st.server = std::move(server);
  self->delayed_send(self, st.tracker->first_delay(st.rng), check_atom_v);
  return {
    [=](check_atom) {
      auto& s = self->state;
      if (s.in_flight)
        return;
      s.in_flight = true;
      // The completion runs on the engine's thread: hand the result back as a message.
      auto weak = caf::actor_cast<caf::weak_actor_ptr>(self);
      run_check(s.client, [weak](health_report r) {
        if (auto strong = weak.lock())
          caf::anon_send(caf::actor_cast<caf::actor>(strong), check_atom_v, std::move(r));
      });
    },
    [=](check_atom, health_report& result) {
      auto& s = self->state;
      s.in_flight = false;
      auto report = s.apply(std::move(result));
      if (report.changed)
        s.log->info("server {} is {} ({}{}{})", report.server_id, report.state, report.verdict,
                    report.last_error.empty() ? "" : ": ", report.last_error);
      else if (report.verdict != "passed")
        s.log->debug("server {} check failed: {}", report.server_id, report.last_error);
      self->send(s.coordinator, health_atom_v, std::move(report));
      self->delayed_send(self, s.tracker->next_delay(s.rng), check_atom_v);
    },
  };
}

} // namespace fleet
