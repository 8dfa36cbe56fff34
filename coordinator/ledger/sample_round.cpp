#include "coordinator/ledger/sample_round.hpp"

namespace fleet {

panel_terms panel_terms_of(const booked_client& client, int64_t used,
                           int64_t panel_counted) noexcept {
  return panel_terms{client.enable && client.limited == limit_reason::none,
                     panel_quota(client.terms, used, panel_counted), client.terms.expiry_time_ms};
}

sample_round charge_counters(traffic_ledger& ledger, client_book& book,
                             const std::string& server_id,
                             const std::vector<client_counters>& counters, int64_t read_at_ms,
                             int64_t now_ms) {
  panel_roster once;
  return charge_counters(ledger, book, once, server_id, counters, read_at_ms, now_ms);
}

sample_round charge_counters(traffic_ledger& ledger, client_book& book, panel_roster& roster,
                             const std::string& server_id,
                             const std::vector<client_counters>& counters, int64_t read_at_ms,
                             int64_t now_ms) {
  sample_round out;
  out.server_hour = usage_bucket{server_id, hour_of(read_at_ms), {}};
  auto& places = roster.places;
  places.resize(counters.size(), {no_position, no_position});
  // The places a few clients ahead are fetched while this one is charged.
  constexpr size_t ahead = 8;
  for (size_t i = 0; i < counters.size(); ++i) {
    if (i + ahead < places.size()) {
      book.prefetch(places[i + ahead].first);
      ledger.prefetch(places[i + ahead].second);
    }
    const auto& c = counters[i];
    auto& [in_book, in_ledger] = places[i];
    auto* client = book.find(c.email, in_book);
    if (client == nullptr) {
      ++out.foreign;
      continue;
    }
    auto sample
        = ledger.apply(in_ledger, server_id, c.email, byte_counts{c.up, c.down}, read_at_ms);
    // Unchanged counters need no write: after a restart the entry as last written gives the
    // same deltas.
    if (sample.new_baseline || sample.added.total() > 0)
      out.entries.push_back(ledger_record{server_id, c.email, *sample.entry});
    if (sample.closed_bytes.total() > 0)
      out.client_hours.push_back(usage_bucket{c.email, sample.closed_hour_ms, sample.closed_bytes});
    if (!sample.ignored) {
      out.new_baselines += sample.new_baseline ? 1 : 0;
      if (sample.suspicious)
        out.suspicious.push_back(c.email);
      out.server_hour.bytes.up += sample.added.up;
      out.server_hour.bytes.down += sample.added.down;
    }
    // Copies left behind by moves are charged to their client but not managed from here.
    if (client->server_id != server_id)
      continue;
    auto used = sample.used;
    auto limit = limit_of(client->terms, used, now_ms);
    if (limit != client->limited) {
      out.changes.push_back(limit_change{c.email, client->limited, limit, used});
      client->limited = limit;
    }
    auto want = panel_terms_of(*client, used, c.up + c.down);
    if (want.enable != c.enable || want.total_bytes != c.total_bytes
        || want.expiry_time_ms != c.expiry_time_ms)
      out.to_amend.push_back(c.email);
  }
  return out;
}

} // namespace fleet
