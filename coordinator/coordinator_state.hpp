#pragma once

#include "common/config/config.hpp"
#include "common/model/health.hpp"
#include "common/protocol.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/selector/selection_engine.hpp"
#include "coordinator/store/store.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace spdlog {
class logger;
} // namespace spdlog

namespace fleet {

/// Everything the coordinator actor decides with: the fleet view and selection engine, the
/// health of every server, panic mode, and the store. Plain state, testable without actors;
/// single-threaded (owned by the coordinator actor).
struct coordinator_state {
  static inline const char* name = "coordinator";

  std::unique_ptr<selection_engine> engine;
  /// Not owned; may be null (tests without persistence).
  store* db = nullptr;
  management_settings settings;
  /// Health per server id, as answered to operators.
  std::map<std::string, server_health> health;
  /// The probe actor of every probed server.
  std::map<std::string, caf::actor> probes;
  /// Fewer than `panic_threshold` of the enabled servers are healthy.
  bool panic = false;
  std::shared_ptr<spdlog::logger> log;

  /// Builds the view from `config` and restores admin states and last known health from
  /// `db`, so the fleet answers at once while probes re-check. Returns a store error if the
  /// stored state cannot be read.
  [[nodiscard]] caf::error init(const fleet_config& config, store* db);

  /// Applies a probe's report: health state, load sample, persisted record, panic mode.
  void on_health(const health_report& report);

  /// Chooses a server; refuses in panic mode when the policy says so.
  [[nodiscard]] caf::expected<selection> select(const selection_criteria& criteria);

  /// Health of every server in configuration order.
  [[nodiscard]] std::vector<server_health> fleet_health() const;

  // -- client creation ------------------------------------------------------------------------

  /// Fills the defaults of `req` into a record; `conflict` when the email is taken already.
  [[nodiscard]] caf::expected<client_record> prepare(const create_request& req);

  /// Chooses the server for `req`, never one of `tried`.
  [[nodiscard]] caf::expected<selection> choose_for(const create_request& req,
                                                    const std::vector<std::string>& tried);

  /// Announces the creation of `record` on `server_id` (synced intent); returns its id.
  [[nodiscard]] caf::expected<uint64_t> begin_create(const client_record& record,
                                                     const std::string& server_id);

  /// Records a client the panel confirmed, closing its intent, and counts the placement.
  void created(uint64_t intent, const client_record& record);

  /// Closes an intent whose mutation did not happen.
  void abandon(uint64_t intent);

private:
  void update_panic();
  void persist(const std::string& id);
};

} // namespace fleet
