#pragma once

#include "coordinator/ledger/email_slots.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fleet {

/// Bytes in both directions.
struct byte_counts {
  int64_t up = 0;
  int64_t down = 0;

  [[nodiscard]] int64_t total() const noexcept { return up + down; }
};

/// What the ledger knows of one client on one panel: the panel's counters as last read, and
/// the bytes accumulated from their deltas.
struct ledger_entry {
  /// The counters at the last sample applied, and when the panel was read.
  byte_counts last;
  int64_t read_at_ms = 0;
  /// Bytes charged to the client on this panel (a renewal may reset them).
  byte_counts used;
  /// Bytes the panel carried for the client (never reset).
  byte_counts carried;
  /// The client's open hourly bucket on this panel: the hour (its start, Unix ms) of the
  /// last sample that added bytes, and the bytes added in that hour. A sample of a later hour
  /// that adds bytes closes it: only then is the bucket added to the client's stored hours.
  int64_t hour_ms = 0;
  byte_counts hour_bytes;
};

/// The start of the hour of `ms` (Unix ms, rounded down, also before 1970).
[[nodiscard]] int64_t hour_of(int64_t ms) noexcept;

/// One client on one panel in the ledger, with its key, as the store keeps it. An empty
/// `email` holds what the panel carried for clients the fleet has forgotten (`entry.carried`).
struct ledger_record {
  std::string server_id;
  std::string email;
  ledger_entry entry;
};

/// The bytes of one owner (a client's email or a server's id) in one hour.
struct usage_bucket {
  std::string owner;
  /// Start of the hour, Unix ms.
  int64_t hour_ms = 0;
  byte_counts bytes;
};

/// A client's usage over every panel it has lived on.
struct fleet_usage {
  byte_counts total;
  std::map<std::string, byte_counts> by_server;
};

/// What one sample did.
struct sample_outcome {
  /// Not newer than the last sample of the same client and panel: nothing changed.
  bool ignored = false;
  /// A counter went down (the panel reset it, was wiped or restored, or the client was made
  /// again there): the sample is the new baseline and charges nothing.
  bool new_baseline = false;
  /// More bytes than `max_bytes_per_s` allows for the time since the last sample; charged all
  /// the same, and worth a log line.
  bool suspicious = false;
  byte_counts added;
  /// The hourly bucket this sample closed (`hour_bytes` of an earlier hour); no bytes when
  /// it closed none.
  int64_t closed_hour_ms = 0;
  byte_counts closed_bytes;
  /// The entry after the sample (valid until the ledger changes again).
  const ledger_entry* entry = nullptr;
  /// Bytes charged to the client over every panel, after the sample (`used(email)`).
  int64_t used = 0;
};

/// The fleet-wide usage ledger: per client and panel, the panel's counters as last read and
/// the usage accumulated from their deltas. The panel is never reset: a counter is read, its
/// delta charged. A counter that went down starts a new baseline instead of producing negative
/// or doubled usage. Samples are ordered by the time the panel was read, per client and
/// panel, so a repeated or late sample changes nothing (clock skew between panels does not
/// matter: only one panel's own samples are compared). Plain state; the store keeps it.
///
/// Entries are held by client (one hash lookup per sample finds all of a client's panels);
/// a client has one entry per panel it has lived on, seldom more than two.
class traffic_ledger {
  /// One client's entry on one panel.
  struct panel_entry {
    std::string server_id;
    ledger_entry entry;
  };

public:
  /// Where a client's entries are (see `apply` with a hint).
  using position = email_slots<std::vector<panel_entry>>::position;

  /// `max_bytes_per_s`: what a link could carry; faster growth is flagged (0 = never).
  explicit traffic_ledger(int64_t max_bytes_per_s = 0) : max_rate_(max_bytes_per_s) {}

  /// Applies the counters `now` of `email` on `server_id`, read at `read_at_ms` (the panel's
  /// check time), and moves the entry's open hourly bucket on to the hour of `read_at_ms`
  /// when the sample adds bytes.
  sample_outcome apply(const std::string& server_id, const std::string& email, byte_counts now,
                       int64_t read_at_ms);

  /// `apply`, trying `hint` (where the entries of `email` were before, or
  /// `no_position`) first; sets `hint` to where they are now.
  sample_outcome apply(position& hint, const std::string& server_id, const std::string& email,
                       byte_counts now, int64_t read_at_ms);

  /// Asks the processor to fetch what is at `p` (a hint about to be tried).
  void prefetch(position p) const noexcept { clients_.prefetch(p); }

  /// Adds the hours the entries of `email` hold open, where they fall in [from_ms, to_ms), to
  /// `hours` (one bucket per hour, oldest first, as the store gives the closed ones).
  void add_open_hours(const std::string& email, int64_t from_ms, int64_t to_ms,
                      std::vector<usage_bucket>& hours) const;

  /// Usage of `email` summed over every panel.
  [[nodiscard]] fleet_usage usage(const std::string& email) const;

  /// Bytes charged to `email` over every panel (`usage(email).total.total()`, without the
  /// breakdown).
  [[nodiscard]] int64_t used(const std::string& email) const;

  /// Forgets the usage of `email` (a renewal with `reset_usage`); the counters stay as the
  /// baseline, so bytes already on the panels are not charged again.
  void reset_usage(const std::string& email);

  /// Forgets `email` entirely (the client was deleted).
  void forget(const std::string& email);

  /// Bytes every panel carried, summed over its clients, forgotten ones included: monotonic.
  [[nodiscard]] std::map<std::string, byte_counts> by_server() const;

  /// The entry of `email` on `server_id`, or null; for the store and tests.
  [[nodiscard]] const ledger_entry* find(const std::string& server_id,
                                         const std::string& email) const;

  /// Puts back an entry the store kept; an empty `email` is what `retired_on` gave.
  void restore(const std::string& server_id, const std::string& email, ledger_entry entry);

  /// What `server_id` carried for clients forgotten since, as an entry for the store (in
  /// `carried`).
  [[nodiscard]] ledger_entry retired_on(const std::string& server_id) const;

  /// Every entry (of clients the fleet still has), by email, then server.
  [[nodiscard]] std::vector<ledger_record> records() const;

  /// How many entries `records` would give.
  [[nodiscard]] size_t size() const noexcept { return size_; }

private:
  sample_outcome apply(std::vector<panel_entry>& panels, const std::string& server_id,
                       byte_counts now, int64_t read_at_ms);

  int64_t max_rate_;
  email_slots<std::vector<panel_entry>> clients_;
  size_t size_ = 0;
  /// What forgotten clients' panels carried, by server.
  std::map<std::string, byte_counts> retired_;
};

} // namespace fleet
