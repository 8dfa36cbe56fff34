// The coordinator's side of the traffic ledger: charging the counters of each passed check,
// writing the round, recording limits reached, and the usage a client's answers show.

#include "common/text.hpp"
#include "coordinator/client_limits.hpp"
#include "coordinator/coordinator_state.hpp"
#include "coordinator/ledger/sample_round.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace fleet {

std::vector<std::string> coordinator_state::charge(const health_report& r) {
  auto round = charge_counters(ledger, book, rosters[r.server_id], r.server_id, r.counters,
                               r.checked_at_ms, time->wall_ms());
  foreign[r.server_id] = round.foreign;
  auto& total = carried[r.server_id];
  total.up += round.server_hour.bytes.up;
  total.down += round.server_hour.bytes.down;
  if (db != nullptr && !round.entries.empty()) {
    std::vector<usage_bucket> server_hours;
    if (round.server_hour.bytes.total() > 0)
      server_hours.push_back(round.server_hour);
    if (auto err = db->write_round(round.entries, round.client_hours, server_hours))
      log->error("server {}: cannot write the usage of {} clients: {}; it is charged again "
                 "from the panel's counters after a restart",
                 r.server_id, round.entries.size(), message_of(err));
  }
  if (round.new_baselines > 0)
    log->info("server {}: the counters of {} clients went down (the panel was reset, wiped or "
              "restored, or the client made again); their usage goes on from the new values",
              r.server_id, round.new_baselines);
  if (!round.suspicious.empty())
    log->warn("server {}: the counters of {} clients grew faster than a 10 Gbit/s link carries "
              "since the last check (first: {}); charged all the same",
              r.server_id, round.suspicious.size(), round.suspicious.front());
  for (const auto& change : round.changes)
    record_limit(change.email, change.after, change.used);
  std::vector<std::string> out;
  for (auto& email : round.to_amend)
    if (busy.count(ascii_lower(email)) == 0)
      out.push_back(std::move(email));
  return out;
}

void coordinator_state::record_limit(const std::string& email, limit_reason reason, int64_t used) {
  if (db == nullptr)
    return;
  auto found = client(email);
  if (!found) {
    log->error("client {} reached its limit but its record cannot be read: {}", email,
               message_of(found.error()));
    return;
  }
  found->limited = to_string(reason);
  if (auto err = db->put_client(*found))
    log->error("cannot record the limit of client {}: {}", email, message_of(err));
  announce_limit(*found, used);
}

void coordinator_state::announce_limit(const client_record& record, int64_t used) {
  if (record.limited.empty())
    return;
  log->info("client {} on server {} is stopped: {} (fleet usage {} bytes)", record.email,
            record.server_id, record.limited, used);
  emit("client.limited", record.server_id, record.email,
       {{"reason", record.limited},
        {"used_bytes", used},
        {"total_gb", record.total_gb},
        {"expiry_time_ms", record.expiry_time_ms}});
}

void coordinator_state::forget_usage(const std::string& email) {
  auto servers = ledger.usage(email).by_server;
  ledger.forget(email);
  if (db == nullptr || servers.empty())
    return;
  std::vector<ledger_record> retired;
  for (const auto& [server_id, used] : servers)
    retired.push_back(ledger_record{server_id, "", ledger.retired_on(server_id)});
  if (auto err = db->forget_usage(email, retired))
    log->error("cannot forget the usage of client {}: {}", email, message_of(err));
}

caf::expected<std::vector<usage_bucket>>
coordinator_state::usage_hours(const usage_query& q) const {
  if (q.of_server)
    return db->server_hours(q.owner, q.from_ms, q.to_ms);
  auto out = db->client_hours(q.owner, q.from_ms, q.to_ms);
  if (out)
    ledger.add_open_hours(q.owner, std::max(q.from_ms, time->wall_ms() - store::usage_retention_ms),
                          q.to_ms, *out);
  return out;
}

client_account coordinator_state::account_of(const client_record& record) const {
  client_account out;
  out.usage = ledger.usage(record.email);
  out.remaining_bytes = remaining_bytes(terms_of(record), out.usage.total.total());
  return out;
}

client_view coordinator_state::view_of(client_record record) const {
  client_view out;
  out.account = account_of(record);
  if (const auto* server = registry->find(record.server_id))
    out.server = server->state();
  out.record = std::move(record);
  return out;
}

void coordinator_state::settle_limit(client_record& record, bool usage_reset) const {
  auto used = usage_reset ? 0 : ledger.used(record.email);
  record.limited = to_string(limit_of(terms_of(record), used, time->wall_ms()));
}

void coordinator_state::reset_usage(const std::string& email) {
  ledger.reset_usage(email);
  write_ledger(email);
}

void coordinator_state::write_ledger(const std::string& email) {
  if (db == nullptr)
    return;
  std::vector<ledger_record> entries;
  for (const auto& [server_id, used] : ledger.usage(email).by_server)
    if (const auto* e = ledger.find(server_id, email))
      entries.push_back(ledger_record{server_id, email, *e});
  if (auto err = db->write_round(entries, {}, {}))
    log->error("cannot write the usage of client {}: {}", email, message_of(err));
}

} // namespace fleet
