#include "coordinator/coordinator_state.hpp"

#include "common/logging.hpp"

#include <spdlog/spdlog.h>

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
  }
  if (db == nullptr)
    return caf::none;
  auto stored = db->servers();
  if (!stored)
    return std::move(stored.error());
  size_t restored = 0;
  auto& view = engine->view();
  for (auto& record : *stored) {
    auto slot = view.find(record.id);
    if (!slot)
      continue;  // no longer configured
    const auto& s = view.slot(*slot);
    if (s.admin != admin_state::disabled)  // the config's "enabled": false always wins
      view.set_admin(*slot, admin_of(record.admin));
    auto last = record.health.state;
    if (last == server_state::healthy || last == server_state::unhealthy)
      view.set_health(*slot, last);
    view.set_load_sample(*slot, record.health.active_clients);
    auto& h = health[record.id];
    h = record.health;
    h.state = view.slot(*slot).state();
    ++restored;
  }
  log->info("restored the last known state of {} of {} servers from {}", restored,
            config.servers.size(), db->dir());
  update_panic();
  return caf::none;
}

void coordinator_state::on_health(const health_report& r) {
  auto& view = engine->view();
  auto slot = view.find(r.server_id);
  if (!slot) {
    log->warn("ignored a health report for unknown server {}", r.server_id);
    return;
  }
  auto was_available = view.slot(*slot).available();
  auto state = parse_server_state(r.state).value_or(server_state::unknown);
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
  if (r.verdict == "passed") {
    h.active_clients = r.active_clients;
    h.xray_state = r.xray_state;
    h.panel_version = r.panel_version;
  } else if (r.verdict == "xray_down") {
    h.xray_state = r.xray_state;
  }
  h.current_load = s.load();
  h.state = s.state();
  if (was_available != s.available())
    log->info("server {} {} selection: {}{}{}", r.server_id,
              s.available() ? "returns to" : "is excluded from", to_string(h.state),
              r.last_error.empty() ? "" : ", ", r.last_error);
  persist(r.server_id);
  update_panic();
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
  auto now_panic = enabled > 0
                   && static_cast<double>(healthy) < settings.panic_threshold
                                                       * static_cast<double>(enabled);
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
  if (panic && settings.on_panic == panic_policy::refuse)
    return make_error(ec::no_server_available,
                      "no server available: panic mode (too few healthy servers) and "
                      "panic_policy is refuse");
  auto chosen = engine->select(criteria);
  if (chosen)
    log->debug("selected server {} for user {} using {}", chosen->server_id, criteria.user_id,
               chosen->strategy);
  return chosen;
}

std::vector<server_health> coordinator_state::fleet_health() const {
  std::vector<server_health> out;
  for (const auto& s : engine->view().slots())
    out.push_back(health.at(s.id));
  return out;
}

} // namespace fleet
