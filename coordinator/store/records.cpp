#include "coordinator/store/records.hpp"

#include "common/json_reader.hpp"
#include "common/model/model_json.hpp"

#include <limits>

namespace fleet {

namespace {

/// Version of the stored encodings; bump and migrate when a field changes meaning.
constexpr int schema_version = 1;

constexpr int64_t int_max = std::numeric_limits<int64_t>::max();

nlohmann::json client_json(const client_record& x) {
  return {{"email", x.email},
          {"user_id", x.user_id},
          {"uuid", x.uuid},
          {"sub_id", x.sub_id},
          {"server_id", x.server_id},
          {"inbound_id", x.inbound_id},
          {"total_gb", x.total_gb},
          {"expiry_time_ms", x.expiry_time_ms},
          {"limit_ip", x.limit_ip},
          {"enable", x.enable},
          {"created_at_ms", x.created_at_ms},
          {"moved_at_ms", x.moved_at_ms},
          {"limited", x.limited}};
}

void read_client(json_reader& r, client_record& x) {
  r.string("email", x.email, true);
  r.string("user_id", x.user_id);
  r.string("uuid", x.uuid);
  r.string("sub_id", x.sub_id);
  r.string("server_id", x.server_id);
  r.integer("inbound_id", x.inbound_id, 0, int_max);
  r.number("total_gb", x.total_gb, 0.0, 1e12);
  r.integer("expiry_time_ms", x.expiry_time_ms, std::numeric_limits<int64_t>::min(), int_max);
  r.integer("limit_ip", x.limit_ip, 0, int_max);
  r.boolean("enable", x.enable);
  r.integer("created_at_ms", x.created_at_ms, 0, int_max);
  r.integer("moved_at_ms", x.moved_at_ms, 0, int_max);
  r.string("limited", x.limited);
}

/// Parses `text` and checks its version; returns the document or an error naming `what`.
caf::expected<nlohmann::json> open_document(const std::string& text, const char* what) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object())
    return make_error(ec::io_error, std::string{"stored "} + what + " is not JSON");
  if (doc.value("v", 0) != schema_version)
    return make_error(ec::io_error, std::string{"stored "} + what + " has schema version "
                                        + std::to_string(doc.value("v", 0)) + ", expected "
                                        + std::to_string(schema_version));
  return doc;
}

caf::error problems_to_error(const field_problems& problems, const char* what) {
  if (!has_errors(problems))
    return caf::none;
  return make_error(ec::io_error,
                    std::string{"stored "} + what + " is damaged: " + problems.front().to_string());
}

} // namespace

std::string encode(const server_record& x) {
  return nlohmann::json{
      {"v", schema_version}, {"id", x.id}, {"admin", x.admin}, {"health", to_json(x.health)}}
      .dump();
}

std::string encode(const client_record& x) {
  auto doc = client_json(x);
  doc["v"] = schema_version;
  return doc.dump();
}

std::string encode(const intent_record& x) {
  return nlohmann::json{{"v", schema_version},
                        {"id", x.id},
                        {"kind", x.kind},
                        {"email", x.email},
                        {"server_id", x.server_id},
                        {"from_server_id", x.from_server_id},
                        {"client", client_json(x.client)},
                        {"created_at_ms", x.created_at_ms}}
      .dump();
}

std::string encode(const event_record& x) {
  return nlohmann::json{
      {"v", schema_version},      {"seq", x.seq},     {"time_ms", x.time_ms}, {"type", x.type},
      {"server_id", x.server_id}, {"email", x.email}, {"data", x.data}}
      .dump();
}

std::string encode(const idempotent_answer& x) {
  return nlohmann::json{
      {"v", schema_version}, {"body_digest", x.body_digest}, {"client", client_json(x.client)}}
      .dump();
}

caf::error decode(const std::string& text, event_record& x) {
  auto doc = open_document(text, "event");
  if (!doc)
    return std::move(doc.error());
  field_problems problems;
  json_reader r{*doc, "", problems};
  int64_t seq = 0;
  r.integer("seq", seq, 1, int_max, true);
  x.seq = static_cast<uint64_t>(seq);
  r.integer("time_ms", x.time_ms, 0, int_max);
  r.string("type", x.type, true);
  r.string("server_id", x.server_id);
  r.string("email", x.email);
  if (doc->contains("data") && (*doc)["data"].is_object())
    x.data = (*doc)["data"];
  return problems_to_error(problems, "event");
}

caf::error decode(const std::string& text, idempotent_answer& x) {
  auto doc = open_document(text, "idempotency key");
  if (!doc)
    return std::move(doc.error());
  field_problems problems;
  json_reader r{*doc, "", problems};
  r.string("body_digest", x.body_digest, true);
  if (doc->contains("client")) {
    json_reader cr{(*doc)["client"], "client", problems};
    read_client(cr, x.client);
  }
  return problems_to_error(problems, "idempotency key");
}

caf::error decode(const std::string& text, server_record& x) {
  auto doc = open_document(text, "server");
  if (!doc)
    return std::move(doc.error());
  field_problems problems;
  json_reader r{*doc, "", problems};
  r.string("id", x.id, true);
  r.string("admin", x.admin, true);
  if (doc->contains("health")) {
    auto more = read((*doc)["health"], x.health, "health");
    problems.insert(problems.end(), more.begin(), more.end());
  }
  return problems_to_error(problems, "server");
}

caf::error decode(const std::string& text, client_record& x) {
  auto doc = open_document(text, "client");
  if (!doc)
    return std::move(doc.error());
  field_problems problems;
  json_reader r{*doc, "", problems};
  read_client(r, x);
  return problems_to_error(problems, "client");
}

caf::error decode(const std::string& text, intent_record& x) {
  auto doc = open_document(text, "intent");
  if (!doc)
    return std::move(doc.error());
  field_problems problems;
  json_reader r{*doc, "", problems};
  int64_t id = 0;
  r.integer("id", id, 0, int_max, true);
  x.id = static_cast<uint64_t>(id);
  r.string("kind", x.kind, true);
  r.string("email", x.email, true);
  r.string("server_id", x.server_id);
  r.string("from_server_id", x.from_server_id);
  r.integer("created_at_ms", x.created_at_ms, 0, int_max);
  if (doc->contains("client")) {
    json_reader cr{(*doc)["client"], "client", problems};
    read_client(cr, x.client);
  }
  return problems_to_error(problems, "intent");
}

std::string encode(const stale_copy& x) {
  return nlohmann::json{
      {"v", schema_version},    {"server_id", x.server_id},     {"email", x.email},
      {"moved_to", x.moved_to}, {"moved_at_ms", x.moved_at_ms}, {"disabled", x.disabled}}
      .dump();
}

caf::error decode(const std::string& text, stale_copy& x) {
  auto doc = open_document(text, "stale copy");
  if (!doc)
    return std::move(doc.error());
  field_problems problems;
  json_reader r{*doc, "", problems};
  r.string("server_id", x.server_id, true);
  r.string("email", x.email, true);
  r.string("moved_to", x.moved_to);
  r.integer("moved_at_ms", x.moved_at_ms, 0, int_max);
  r.boolean("disabled", x.disabled);
  return problems_to_error(problems, "stale copy");
}

caf::error decode(const std::string& text, ledger_record& x) {
  auto doc = open_document(text, "ledger entry");
  if (!doc)
    return std::move(doc.error());
  field_problems problems;
  json_reader r{*doc, "", problems};
  r.string("server_id", x.server_id, true);
  r.string("email", x.email);
  r.integer("read_at_ms", x.entry.read_at_ms, std::numeric_limits<int64_t>::min(), int_max);
  auto pair = [&](const char* key, byte_counts& out) {
    auto i = doc->find(key);
    if (i == doc->end() || !i->is_array() || i->size() != 2 || !(*i)[0].is_number_integer()
        || !(*i)[1].is_number_integer()) {
      problems.push_back({field_problem::severity::error, key, "expected [up, down]"});
      return;
    }
    out = byte_counts{(*i)[0].get<int64_t>(), (*i)[1].get<int64_t>()};
  };
  pair("last", x.entry.last);
  pair("used", x.entry.used);
  pair("carried", x.entry.carried);
  return problems_to_error(problems, "ledger entry");
}

} // namespace fleet
