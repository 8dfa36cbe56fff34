#pragma once

#include "common/error.hpp"
#include "coordinator/store/backups.hpp"
#include "coordinator/store/records.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fleet {

/// Whether the store can write now.
struct store_condition {
  bool writable = true;
  /// Why it cannot and what to do, in one sentence; "" while it can.
  std::string reason;
  /// When it last stopped or resumed writing (Unix ms); 0 before the first change.
  int64_t since_ms = 0;
  /// How many times it stopped or resumed writing since it was opened.
  uint64_t changes = 0;
};

/// The coordinator's durable state in RocksDB: servers' admin state and last health, client
/// assignments, intents of panel mutations, the traffic ledger and hourly usage. Client and intent
/// writes are synced before they return; server health writes are not (a lost sample is
/// re-measured).
///
/// Thread-safety: every method may be called from any thread (RocksDB is thread-safe), but
/// the coordinator writes from one actor so intents stay ordered. Lifecycle: `open` takes the
/// directory's lock; a second process (or a second `open` in this one) is refused until the
/// store is destroyed. Backups (`back_up`) are taken by the process that has the store open,
/// while it goes on writing.
///
/// A full disk, a read-only or failing file system: every write then fails with
/// `store_unavailable` naming the cause, while reads go on. The store checks its directory
/// every `resume_interval` and writes again as soon as it can, by itself (see `condition`).
class store final : public event_log {
public:
  /// Opens or creates the store in `dir`. Fails with `conflict` when another process (or
  /// another `open` in this one) holds the directory, and with `io_error` naming the
  /// directory and the cause otherwise (unreadable, damaged). Opening changes no record: open
  /// intents stay open until the coordinator resolves them.
  [[nodiscard]] static caf::expected<std::unique_ptr<store>> open(const std::string& dir);

  ~store();

  store(const store&) = delete;
  store& operator=(const store&) = delete;

  [[nodiscard]] caf::error put_server(const server_record& x);
  [[nodiscard]] caf::expected<std::vector<server_record>> servers() const;

  [[nodiscard]] caf::error put_client(const client_record& x);
  [[nodiscard]] caf::error erase_client(const std::string& email);
  [[nodiscard]] caf::expected<std::optional<client_record>> client(const std::string& email) const;
  [[nodiscard]] caf::expected<std::vector<client_record>> clients() const;

  /// Records that a mutation is about to be sent; returns the intent's id (synced).
  [[nodiscard]] caf::expected<uint64_t> begin_intent(intent_record x);

  /// Records several intents in one synced write (group commit), giving each its id.
  [[nodiscard]] caf::error begin_intents(std::vector<intent_record>& xs);

  /// Closes intent `id` and, in the same atomic write, stores `put` and/or erases the client
  /// `erase_email`. Not synced: the write survives a killed process at once, and after a
  /// power loss the still-open intent is resolved again by asking the panel.
  [[nodiscard]] caf::error complete_intent(uint64_t id, const client_record* put,
                                           const std::string* erase_email);

  /// Writes `x` in one atomic write: each created client stored and its intent closed (as
  /// `complete_intent` does), the events appended (as `append_events` does, numbering them)
  /// and the idempotency answers kept. Synced when it keeps an answer (as `put_answer` is),
  /// otherwise not. On failure nothing is written and the events stay unnumbered.
  [[nodiscard]] caf::error commit(confirmed_writes& x);

  /// Closes the move intent `id`: stores `moved` (now on its new server) and, in the same
  /// atomic write, the stale copy it left on `left.server_id`.
  [[nodiscard]] caf::error complete_move(uint64_t id, const client_record& moved,
                                         const stale_copy& left);

  /// Copies left behind on `server_id` by moves, by email.
  [[nodiscard]] caf::expected<std::vector<stale_copy>>
  stale_copies(const std::string& server_id) const;
  /// Every stale copy of the fleet.
  [[nodiscard]] caf::expected<std::vector<stale_copy>> stale_copies() const;
  [[nodiscard]] caf::error put_stale(const stale_copy& x);
  [[nodiscard]] caf::error erase_stale(const std::string& server_id, const std::string& email);

  /// Writes the ledger entries of one sample round in one write, not synced: a lost round is
  /// sampled again from the panels' counters, which only grow (or start a new baseline).
  [[nodiscard]] caf::error put_ledger(const std::vector<ledger_record>& xs);
  /// Forgets the ledger entries and hourly usage of `email` (a deleted client) and, in the
  /// same write, stores `retired` (what its servers carried for forgotten clients).
  [[nodiscard]] caf::error forget_usage(const std::string& email,
                                        const std::vector<ledger_record>& retired);
  /// Every ledger entry, by email and server.
  [[nodiscard]] caf::expected<std::vector<ledger_record>> ledger() const;

  /// How long hourly buckets are kept.
  static constexpr int64_t usage_retention_ms = 35LL * 24 * 3600 * 1000;

  /// Writes one sample round in one write batch, not synced (like `put_ledger`): the ledger
  /// entries, stored as `put_ledger` stores them, and the bytes of the round added to their
  /// hours (`hour_ms` rounded down to the start of its hour) without reading them first. Owners
  /// must not contain '\n' (`invalid_argument`, nothing written).
  [[nodiscard]] caf::error write_round(const std::vector<ledger_record>& entries,
                                       const std::vector<usage_bucket>& client_hours,
                                       const std::vector<usage_bucket>& server_hours);

  /// Hourly buckets of one client (email) / server (id) whose hour_ms is in [from_ms, to_ms),
  /// oldest first, each hour once with the sums of all rounds. A client's hours are the ones
  /// its ledger entries closed: each entry holds its latest hour open (`ledger_entry::hour_ms`,
  /// see `traffic_ledger::add_open_hours`). Hours older than
  /// `usage_retention_ms` are left out even before a compaction removes them. A damaged
  /// bucket fails the read with `io_error` naming it, until the next round adds to it (the
  /// damaged value then counts as zero).
  [[nodiscard]] caf::expected<std::vector<usage_bucket>>
  client_hours(const std::string& email, int64_t from_ms, int64_t to_ms) const;
  [[nodiscard]] caf::expected<std::vector<usage_bucket>>
  server_hours(const std::string& id, int64_t from_ms, int64_t to_ms) const;

  /// Intents begun but not completed, oldest first.
  [[nodiscard]] caf::expected<std::vector<intent_record>> open_intents() const;

  /// Appends `events` to the log, giving each the next sequence number (written in order,
  /// not synced: they survive a killed process, and a state change is never acknowledged
  /// through its event before the event is written). Appends from several threads are
  /// numbered and written one after the other.
  [[nodiscard]] caf::error append_events(std::vector<event_record>& events);

  [[nodiscard]] caf::expected<std::vector<event_record>> events_after(uint64_t after,
                                                                      size_t limit) const override;

  [[nodiscard]] uint64_t last_event_seq() const noexcept override;

  /// Remembers how far reader `name` (a webhook) got in the event log. Not synced: after a
  /// power loss the reader resumes a little earlier and sends some events again.
  [[nodiscard]] caf::error put_cursor(const std::string& name, uint64_t seq);
  /// The position stored for reader `name`; `std::nullopt` when it never stored one.
  [[nodiscard]] caf::expected<std::optional<uint64_t>> cursor(const std::string& name) const;

  /// Keeps the answer to a create made with idempotency `key` (synced).
  [[nodiscard]] caf::error put_answer(const std::string& key, const idempotent_answer& x);
  [[nodiscard]] caf::expected<std::optional<idempotent_answer>>
  answer(const std::string& key) const;

  /// Takes a backup of the store into the backup directory `dir` (made when missing) while
  /// writes go on: a consistent picture of every column family at one point, checksummed,
  /// copying only the files `dir` does not hold yet. Then deletes all but the newest `keep`
  /// backups there (0 = keep all). Blocks for as long as the copy takes, so call it off the
  /// coordinator's actor; backups run one at a time. Setting `*stop` from another thread ends
  /// a running backup early (it fails; what it copied is cleared by the next backup into `dir`).
  /// Fails with `io_error` naming `dir` and the cause (unwritable, disk full).
  [[nodiscard]] caf::expected<backup_result> back_up(const std::string& dir, uint32_t keep,
                                                     const std::atomic<bool>* stop = nullptr);

  /// How many records each part of the store holds, all read at one point in time.
  [[nodiscard]] caf::expected<record_counts> count_records() const;

  /// How often a store that cannot write checks whether it can again.
  static constexpr std::chrono::milliseconds resume_interval{500};

  /// Whether the store can write now, and why not. Thread-safe.
  [[nodiscard]] store_condition condition() const;

  /// Bytes RocksDB's memtables hold now, over every column family: writes not yet flushed
  /// to table files (they grow with writes until a flush). 0 while the store is closed.
  [[nodiscard]] uint64_t memtable_bytes() const;

  /// Calls `f` each time `condition()` changes, on the thread that noticed (a writer, or the
  /// store's own); `f` must be quick and thread-safe (send a message) and must not call the
  /// store. Replaces the function given before; an empty one stops the calls.
  void on_condition_change(std::function<void()> f);

  /// The directory the store lives in.
  [[nodiscard]] const std::string& dir() const noexcept;

private:
  struct impl;
  explicit store(std::unique_ptr<impl> x);
  std::unique_ptr<impl> impl_;
};

} // namespace fleet
