#pragma once

#include "common/error.hpp"
#include "common/model/health.hpp"
#include "coordinator/events/event_log.hpp"
#include "coordinator/ledger/traffic_ledger.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace fleet {

/// Operator state of a server that survives restarts, plus its last known health.
struct server_record {
  std::string id;
  /// active, draining or disabled.
  std::string admin = "active";
  server_health health;
};

/// Where a client lives and what it was created with: the fleet's desired state.
struct client_record {
  std::string email;
  std::string user_id;
  std::string uuid;
  std::string sub_id;
  std::string server_id;
  int64_t inbound_id = 0;
  double total_gb = 0.0;
  int64_t expiry_time_ms = 0;
  /// Source addresses allowed at once (the panel's `limitIp`); 0 = no limit.
  int64_t limit_ip = 0;
  bool enable = true;
  int64_t created_at_ms = 0;
  /// When the client last moved to `server_id` by evacuation; 0 = it never moved.
  int64_t moved_at_ms = 0;
  /// Why the fleet stopped the client although `enable` is set: "quota" (its fleet usage
  /// reached `total_gb`), "expired" (`expiry_time_ms` passed), or empty.
  std::string limited;

  /// Whether the client should be enabled on its panel.
  [[nodiscard]] bool active() const noexcept { return enable && limited.empty(); }

  /// When the client arrived on `server_id`.
  [[nodiscard]] int64_t placed_at_ms() const noexcept {
    return moved_at_ms > created_at_ms ? moved_at_ms : created_at_ms;
  }
};

/// A copy of a client left on a panel it was moved away from. The fleet's record says where
/// the client lives now; this copy is deleted from `server_id` once that panel answers
/// again, so that no user is active on two panels.
struct stale_copy {
  std::string server_id;
  std::string email;
  /// Where the client went, and when.
  std::string moved_to;
  int64_t moved_at_ms = 0;
  /// The copy could not be deleted once and was disabled instead.
  bool disabled = false;
};

/// A panel mutation announced before it is sent, so that a crash in the middle can be
/// finished or rolled back by looking at the panel after a restart.
struct intent_record {
  uint64_t id = 0;
  /// create, update, delete or move.
  std::string kind;
  std::string email;
  std::string server_id;
  /// For a move: the server the client leaves (`server_id` is where it goes).
  std::string from_server_id;
  /// The client as it should be after the mutation.
  client_record client;
  int64_t created_at_ms = 0;
};

/// The answer given to a create with an `Idempotency-Key`, kept to answer retries.
struct idempotent_answer {
  /// Digest of the request body: the same key with another body is refused.
  std::string body_digest;
  client_record client;
};

/// Writes that confirm creations, kept until they are written together (`store::commit`).
struct confirmed_writes {
  /// Intents closed by storing the client they created.
  std::vector<std::pair<uint64_t, client_record>> created;
  /// Events to append, numbered by the write.
  std::vector<event_record> events;
  /// Answers of creates made with an idempotency key, by key.
  std::vector<std::pair<std::string, idempotent_answer>> answers;

  [[nodiscard]] bool empty() const noexcept {
    return created.empty() && events.empty() && answers.empty();
  }
};

// Versioned JSON encodings of the records; decoding reports the record and what is wrong.
[[nodiscard]] std::string encode(const server_record& x);
[[nodiscard]] std::string encode(const client_record& x);
[[nodiscard]] std::string encode(const intent_record& x);
[[nodiscard]] std::string encode(const event_record& x);
[[nodiscard]] std::string encode(const idempotent_answer& x);
[[nodiscard]] std::string encode(const stale_copy& x);
[[nodiscard]] caf::error decode(const std::string& text, server_record& x);
[[nodiscard]] caf::error decode(const std::string& text, event_record& x);
[[nodiscard]] caf::error decode(const std::string& text, idempotent_answer& x);
[[nodiscard]] caf::error decode(const std::string& text, client_record& x);
[[nodiscard]] caf::error decode(const std::string& text, intent_record& x);
[[nodiscard]] caf::error decode(const std::string& text, stale_copy& x);
/// The JSON of ledger entries in stores written before their binary form.
[[nodiscard]] caf::error decode(const std::string& text, ledger_record& x);

/// The stored value of a ledger entry (binary, ledger_codec.cpp); its key names the client and
/// the server.
[[nodiscard]] std::string encode(const ledger_record& x);
/// The ledger entry stored under `key` as `value`, binary or JSON.
[[nodiscard]] caf::error decode(std::string_view key, const std::string& value, ledger_record& x);

} // namespace fleet
