#pragma once

#include "common/clock.hpp"
#include "common/config/config.hpp"
#include "common/model/health.hpp"
#include "common/protocol.hpp"
#include "coordinator/agents/agent_registry.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/drift/drift.hpp"
#include "coordinator/drift/reconcile_schedule.hpp"
#include "coordinator/evacuation/evacuation_board.hpp"
#include "coordinator/evacuation/evacuation_policy.hpp"
#include "coordinator/events/event_feed.hpp"
#include "coordinator/flows/idempotent_creates.hpp"
#include "coordinator/flows/intent_queue.hpp"
#include "coordinator/ledger/client_book.hpp"
#include "coordinator/ledger/sample_round.hpp"
#include "coordinator/ledger/traffic_ledger.hpp"
#include "coordinator/metrics/fleet_metrics.hpp"
#include "coordinator/registry/health_history.hpp"
#include "coordinator/registry/panic_mode.hpp"
#include "coordinator/registry/server_registry.hpp"
#include "coordinator/selector/selection_engine.hpp"
#include "coordinator/store/store.hpp"
#include "coordinator/subscription/subscription_catalog.hpp"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace spdlog {
class logger;
} // namespace spdlog

namespace fleet {

/// Everything the coordinator actor decides with: the selection engine, the server registry,
/// panic mode, and the store. Plain state, testable without actors;
/// single-threaded (owned by the coordinator actor).
struct coordinator_state {
  static inline const char* name = "coordinator";

  std::unique_ptr<selection_engine> engine;
  /// Every server's facts, health flags and panel figures; feeds `engine`'s view.
  std::unique_ptr<server_registry> registry;
  /// Not owned; may be null (tests without persistence).
  store* db = nullptr;
  /// Where timestamps of records, intents and events come from; never null.
  const clock* time = &real_clock();
  management_settings settings;
  /// The probe actor of every probed server: local, or on a connected agent.
  std::map<std::string, probe_actor> probes;
  /// Agents: who may connect, who is connected, which servers each one probes.
  agent_registry agents;
  /// Intents left open by the last run on servers whose agent has not registered yet.
  std::vector<intent_record> stranded_intents;
  /// Fewer than `panic_threshold` of the enabled servers are healthy.
  panic_mode panic;
  fleet_metrics metrics;
  /// Wakes event readers; never null after `init`.
  std::shared_ptr<event_feed> feed;
  /// Creates running under an idempotency key.
  idempotent_creates keyed_creates;
  /// Emails (lower case) with a client operation in flight; another one is refused meanwhile.
  std::set<std::string> busy;
  /// Recorded clients per server: the fleet's desired state, counted.
  std::map<std::string, int64_t> recorded;
  /// The last reconciliation of every server.
  std::map<std::string, drift_report> drift;
  /// When each server's health was last written to the store (Unix ms of its check).
  std::map<std::string, int64_t> last_saved_ms;
  /// Unchanged health is written at most this often per server.
  static constexpr int64_t health_save_interval_ms = 60'000;
  /// Every checked server's checks of the last 24 h, per minute (in memory only).
  std::map<std::string, health_history> history;
  /// Intents waiting for the next group write, with what to do after it.
  intent_queue intents;
  /// When failing servers are evacuated, under the partition rule; set up by `init`.
  evacuation_policy evacuation_rule{millis{0}, 0};
  /// Evacuations under way and their progress.
  evacuation_board evacuations;
  /// A wave of moves is in flight (one at a time, so that evacuations stay paced).
  bool wave_running = false;
  /// Copies left on servers by moves, by server: deleted there once the server answers.
  std::map<std::string, std::set<std::string>> stale;
  /// Servers whose stale copies are being deleted now.
  std::set<std::string> cleaning;
  /// Clients by `sub_id`: who a subscription request is for.
  std::map<std::string, std::string> by_sub_id;
  /// Every server's inbounds from its last passed check, parsed for subscriptions.
  subscription_catalog links;
  /// Fleet-wide usage: every client's counters and usage on every panel it lived on.
  traffic_ledger ledger{max_client_bytes_per_s};
  /// Faster growth of one client's counters is logged as suspicious: 10 Gbit/s.
  static constexpr int64_t max_client_bytes_per_s = 1'250'000'000;
  /// Every recorded client's server and limits, for sampling without store reads.
  client_book book;
  /// Bytes every panel carried, from the ledger (monotonic).
  std::map<std::string, byte_counts> carried;
  /// Clients the last check of each server reported that the fleet does not know.
  std::map<std::string, int64_t> foreign;
  /// Where each server's last check found its clients in the book and the ledger.
  std::map<std::string, panel_roster> rosters;
  /// When servers are reconciled; set up by `init`.
  reconcile_schedule reconciles{millis{0}, millis{0}};
  std::shared_ptr<spdlog::logger> log;
  /// The store's condition as the coordinator last handled it.
  store_condition store_seen;
  /// Events emitted while the store could not write, oldest first: appended when it can
  /// again. At most `max_held_events`; `dropped_events` counts the newer ones left out.
  std::vector<event_record> held_events;
  size_t dropped_events = 0;
  static constexpr size_t max_held_events = 1000;

  /// Builds the view from `config` and restores admin states and last known health from
  /// `db`, so the fleet answers at once while probes re-check. Returns a store error if the
  /// stored state cannot be read.
  [[nodiscard]] caf::error init(const fleet_config& config, store* db);

  /// Applies a probe's report: health state, load sample, persisted record, panic mode.
  /// Returns whether the server should be reconciled now (see `wants_reconcile`).
  bool on_health(const health_report& report);

  /// Charges the client counters of a passed check to the ledger and writes the round (one
  /// write, not synced); records and announces clients whose limit changed. Returns the
  /// clients living on that server whose panel copy must be amended (none busy).
  std::vector<std::string> charge(const health_report& report);

  /// The hourly usage of a client or a server (`q`), from the store and, for a client, the
  /// hour each of its ledger entries holds open.
  [[nodiscard]] caf::expected<std::vector<usage_bucket>> usage_hours(const usage_query& q) const;

  /// The fleet usage of `email` and what it leaves of `record`'s quota.
  [[nodiscard]] client_account account_of(const client_record& record) const;

  /// `record` with its fleet usage and its server's state (without the panel's traffic).
  [[nodiscard]] client_view view_of(client_record record) const;

  /// Sets `record.limited` from its fleet usage (zero when `usage_reset`) and limits now.
  void settle_limit(client_record& record, bool usage_reset = false) const;

  /// Forgets the usage of `email` so far (a renewal), keeping the counters as the baseline.
  void reset_usage(const std::string& email);

  /// Applies a probe's count of failed client operations: passive ejection, under its cap.
  void on_operations(const operations_report& report);

  /// Chooses a server; refuses in panic mode when the policy says so.
  [[nodiscard]] caf::expected<selection> select(const selection_criteria& criteria);

  /// Health of every server in configuration order.
  [[nodiscard]] std::vector<server_health> fleet_health() const;

  /// What the subscription `sub_id` lists now: the inbound that holds its client, on the
  /// server the client lives on, while that server answers its checks.
  [[nodiscard]] subscription_answer subscription_for(const std::string& sub_id) const;

  /// Where the evacuation of server `id` stands, with the stale copies left on it.
  [[nodiscard]] evacuation_status evacuation_of(const std::string& id) const;

  /// Health and panel data of every server in configuration order.
  [[nodiscard]] std::vector<server_view> servers() const;

  /// Appends an event to the log (and wakes its readers); `data` is a JSON object.
  void emit(std::string type, std::string server_id, std::string email,
            nlohmann::json data = nlohmann::json::object());

  /// Takes in a change of the store's condition (`store::on_condition_change`): logs it once,
  /// and when the store writes again appends the events held meanwhile, `store.unavailable`
  /// first, then `store.recovered`.
  void store_changed();

  /// The Prometheus text of the coordinator's metrics.
  [[nodiscard]] std::string metrics_text() const;

  // -- client creation ------------------------------------------------------------------------

  /// Fills the defaults of `req` into a record; `conflict` when the email is taken already.
  [[nodiscard]] caf::expected<client_record> prepare(const create_request& req);

  /// Chooses the server for `req`, never one of `tried`.
  [[nodiscard]] caf::expected<selection> choose_for(const create_request& req,
                                                    const std::vector<std::string>& tried);

  /// Announces a `kind` (create, update or delete) mutation that leaves the client as
  /// `target` on `target.server_id`. The intent is written (synced) with every other intent
  /// announced before the next `flush_intents`, in one write; `then` runs after it with the
  /// intent's id. Calls `schedule_flush` when the queue was empty.
  void begin(const char* kind, const client_record& target,
             std::function<void(caf::expected<uint64_t>)> then, std::string from_server_id = {});

  /// Writes what was queued since the last call: the confirmed creations (one write, then
  /// their continuations), then the intents announced (one synced write, then theirs).
  void flush();

  /// Writes the intents announced since the last call and runs their continuations.
  void flush_intents();

  /// Arranges for `flush` to run soon (the actor sends itself a message, so every request
  /// already in its mailbox joins the same writes).
  std::function<void()> schedule_flush;

  /// Records a client the panel confirmed (its placement was counted when its server was
  /// chosen, see `client_flows.cpp`). Its record, the closed
  /// intent and its `client.created` event are written with every other creation confirmed
  /// before the next `flush`, in one write; `then` runs after that write (it answers the
  /// create, which is durable by then).
  void created(uint64_t intent, const client_record& record, std::function<void()> then = {});

  /// Keeps the answer to a create made with idempotency `key`, in the next `flush`'s write
  /// (synced); `then` runs after it.
  void keep_answer(std::string key, idempotent_answer answer, std::function<void()> then);

  /// Records the new limits of a client the panel confirmed, closing its intent.
  void updated(uint64_t intent, const client_record& record);

  /// Forgets a client the panel no longer has, closing its intent.
  void deleted(uint64_t intent, const client_record& record);

  /// Records a client that reached `record.server_id` from `from`, closing its intent; the
  /// copy left on `from` is kept as stale until it is deleted there.
  void moved(uint64_t intent, const client_record& record, const std::string& from);

  /// Forgets the stale copy of `email` on `server_id` (deleted there, or found gone).
  void stale_gone(const std::string& server_id, const std::string& email);

  /// The servers that may still hold a copy of `email`, in any letter case (left by a move,
  /// or by a create with no clear outcome). Copies are deleted by email, so a new copy placed
  /// there would go with it.
  [[nodiscard]] std::vector<std::string> holders_of(const std::string& email) const;

  /// Closes an intent whose mutation did not happen.
  void abandon(uint64_t intent);

  // -- clients and servers --------------------------------------------------------------------

  /// The recorded client `email`; `not_found` when the fleet has none.
  [[nodiscard]] caf::expected<client_record> client(const std::string& email) const;

  /// Recorded clients, optionally only those of `user_id` and/or `server_id`, ordered by
  /// email, starting after `after`, at most `limit`.
  [[nodiscard]] caf::expected<std::vector<client_record>>
  clients(const client_filter& filter) const;

  /// Marks `email` busy; `conflict` when an operation on it is running already.
  [[nodiscard]] caf::error claim(const std::string& email);
  void release(const std::string& email);

  /// Sets the operator state of a server (persisted); `not_found` for an unknown id,
  /// `conflict` when the configuration disables it.
  [[nodiscard]] caf::expected<server_health> set_admin(const std::string& id, admin_state admin);

  // -- agents ----------------------------------------------------------------------------------

  /// Takes the probes of a registered agent: its servers wait for their probes' reports.
  /// Returns the ids of the servers taken.
  std::vector<std::string> agent_joined(const std::string& agent_id,
                                        const agent_registry::joined& joined);

  /// Marks the servers of an agent that went away unreachable (not selectable).
  void agent_left(const agent_registry::left& gone, const std::string& reason);

private:
  /// Calls `schedule_flush` once until the next `flush` (or flushes now without one).
  void request_flush();
  /// Writes the confirmed creations queued since the last call and runs their continuations.
  void flush_confirmed();
  [[nodiscard]] event_record event_of(std::string type, std::string server_id, std::string email,
                                      nlohmann::json data);
  /// Wakes the event log's readers for `e`, or holds it when the store could not write it.
  void published(event_record e, const caf::error& err);

  bool flush_requested_ = false;
  confirmed_writes confirmed_;
  std::vector<std::function<void()>> after_confirmed_;

  void log_availability(const std::string& id, const server_change& change);
  void update_panic();
  /// Writes the admin state and health of server `id` (not synced).
  [[nodiscard]] caf::error persist(const std::string& id);
  /// `persist` for a health change: a store that cannot write is logged once, by
  /// `store_changed`, not for every check.
  void persist_health(const std::string& id);
  void write_ledger(const std::string& email);
  void forget_usage(const std::string& email);
  void record_limit(const std::string& email, limit_reason reason, int64_t used);
  /// Emits `client.limited` when `record` is limited now.
  void announce_limit(const client_record& record, int64_t used);
};

} // namespace fleet
