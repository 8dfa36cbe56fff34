#include "coordinator/reconciler.hpp"

#include "common/text.hpp"
#include "common/time_format.hpp"
#include "coordinator/evacuation_flow.hpp"

#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include <limits>
#include <map>

namespace fleet {

namespace {

std::string first_few(const std::vector<std::string>& emails) {
  std::string out;
  for (size_t i = 0; i < emails.size() && i < 5; ++i)
    out += (i == 0 ? "" : ", ") + emails[i];
  if (emails.size() > 5)
    out += ", ...";
  return out;
}

bool same_findings(const drift_report& a, const drift_report& b) {
  return a.missing == b.missing && a.foreign == b.foreign && a.wrong_key == b.wrong_key
         && a.wrong_enable == b.wrong_enable;
}

/// Logs a report loudly when its findings differ from the last one of the server (foreign
/// clients an operator keeps on purpose are not repeated every period).
void log_report(const coordinator_state& st, const drift_report& r) {
  auto last = st.drift.find(r.server_id);
  auto repeated = last != st.drift.end() && same_findings(last->second, r);
  if (r.clean() || repeated) {
    st.log->debug("server {} reconciled: {}", r.server_id,
                  r.clean() ? "matches the fleet's records" : "drift unchanged");
    return;
  }
  // Clients only the panel knows are often the operator's own: worth a note, not a warning.
  auto level = r.missing.empty() && r.wrong_key.empty() && r.wrong_enable.empty()
                   ? spdlog::level::info
                   : spdlog::level::warn;
  st.log->log(level,
              "server {} drifted: {} missing [{}], {} foreign [{}], {} with another key [{}], {} "
              "with another enable flag",
              r.server_id, r.missing.size(), first_few(r.missing), r.foreign.size(),
              first_few(r.foreign), r.wrong_key.size(), first_few(r.wrong_key),
              r.wrong_enable.size());
}

/// Sends the repairs for `report` to `probe` and updates the stored report as they finish.
void repair(coordinator_self* self, const probe_actor& probe, const drift_report& report,
            const std::vector<client_record>& desired) {
  std::map<std::string, const client_record*> by_email;
  for (const auto& r : desired)
    by_email.emplace(r.email, &r);
  auto server_id = report.server_id;
  auto count = [self, server_id](bool ok, const std::string& email, const caf::error& err) {
    auto& s = self->state;
    if (ok) {
      ++s.drift[server_id].repaired;
      return;
    }
    s.log->warn("server {}: could not repair client {}: {}", server_id, email, message_of(err));
    s.drift[server_id].error = "repair of " + email + " failed: " + message_of(err);
  };
  // A repair holds its client like any operation: a delete arriving meanwhile must not find
  // the client "not there" and forget it while the repair puts it back.
  auto send = [self, &probe, &by_email, count](auto atom, const std::string& email) {
    auto& s = self->state;
    if (s.claim(email))
      return; // busy: the next pass sees how that operation left it
    self->request(probe, caf::infinite, atom, order_of(s, *by_email.at(email)))
        .then(
            [self, count, email](int64_t) {
              self->state.release(email);
              count(true, email, caf::none);
            },
            [self, count, email](caf::error& err) {
              self->state.release(email);
              count(false, email, err);
            });
  };
  for (const auto& email : report.missing)
    send(place_atom_v, email);
  for (const auto& email : report.wrong_enable)
    send(amend_atom_v, email);
}

} // namespace

void reconcile(coordinator_self* self, const std::string& server_id) {
  auto& st = self->state;
  auto probe = st.probes.find(server_id);
  auto started = st.time->wall_ms();
  if (probe == st.probes.end() || !st.reconciles.start(server_id, started))
    return;
  auto target = probe->second;
  self->request(target, caf::infinite, inventory_atom_v)
      .then(
          [self, server_id, started, target](const std::vector<panel_entry>& actual) {
            auto& s = self->state;
            s.reconciles.finish(server_id);
            client_filter filter;
            filter.server_id = server_id;
            filter.limit = std::numeric_limits<size_t>::max();
            auto desired = s.clients(filter);
            if (!desired) {
              s.log->error("cannot reconcile server {}: {}", server_id,
                           message_of(desired.error()));
              return;
            }
            // Clients recorded after the panel was read may not be in its answer yet.
            std::vector<client_record> settled;
            for (auto& r : *desired)
              if (r.placed_at_ms() < started)
                settled.push_back(std::move(r));
            std::set<std::string> stale;
            if (auto copies = s.stale.find(server_id); copies != s.stale.end())
              for (const auto& email : copies->second)
                stale.insert(ascii_lower(email));
            auto report = compare_clients(server_id, settled, actual, s.busy, stale);
            report.checked_at_ms = started;
            log_report(s, report);
            s.drift[server_id] = report;
            std::set<std::string> on_panel;
            for (const auto& e : actual)
              on_panel.insert(ascii_lower(e.email));
            if (!stale.empty())
              clean_stale_copies(self, server_id, &on_panel);
            if (s.settings.drift_repair
                && (!report.missing.empty() || !report.wrong_enable.empty()))
              repair(self, target, report, settled);
          },
          [self, server_id, started](caf::error& err) {
            auto& s = self->state;
            s.reconciles.finish(server_id);
            auto& report = s.drift[server_id];
            report = drift_report{};
            report.server_id = server_id;
            report.checked_at_ms = started;
            report.error = message_of(err);
            s.log->warn("cannot reconcile server {}: {}", server_id, report.error);
          });
}

} // namespace fleet
