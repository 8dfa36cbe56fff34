#include "coordinator/store/store.hpp"

#include "coordinator/store/store_impl.hpp"

#include <rocksdb/memtablerep.h>

#include <cstdio>
#include <filesystem>

namespace fleet {

namespace {

using namespace store_detail;

const char* const family_names[] = {rocksdb::kDefaultColumnFamilyName.c_str(),
                                    "servers",
                                    "clients",
                                    "intents",
                                    "events",
                                    "idempotency",
                                    "stale",
                                    "ledger",
                                    "client_hours",
                                    "server_hours"};

constexpr const char* next_intent_key = "next_intent_id";

/// Zero-padded decimal, so that keys sort by number.
std::string intent_key(uint64_t id) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%020llu", static_cast<unsigned long long>(id));
  return buf;
}

/// Options of family `f`: the hourly ones add merge operands and expire old hours.
rocksdb::ColumnFamilyOptions options_of(family f) {
  rocksdb::ColumnFamilyOptions out;
  // Every check writes the entries of its panel's changed clients, in no order: appended to a
  // vector and sorted once when flushed, they cost a fraction of a skip list's inserts. Reading
  // the memtable sorts it each time, so nothing reads this family but a restart, a backup and
  // a client's deletion (which writes a range deletion).
  if (f == ledger_cf)
    out.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
  if (f == client_hours_cf || f == server_hours_cf) {
    out.merge_operator = usage_hours::make_merge_operator();
    out.compaction_filter_factory
        = usage_hours::make_retention_filter(real_clock(), store::usage_retention_ms);
  }
  return out;
}

/// Numbers `events` after `last` and adds them to `batch`; returns the last number given.
/// Called under the store's append lock, which is held until the batch is written.
uint64_t put_events(rocksdb::WriteBatch& batch, rocksdb::ColumnFamilyHandle* events,
                    std::vector<event_record>& xs, uint64_t last) {
  for (auto& e : xs) {
    e.seq = ++last;
    batch.Put(events, intent_key(e.seq), encode(e));
  }
  return last;
}

} // namespace

store::store(std::unique_ptr<impl> x) : impl_(std::move(x)) {
  // nop
}

store::~store() = default;

const std::string& store::dir() const noexcept {
  return impl_->dir;
}

uint64_t store::memtable_bytes() const {
  auto open = impl_->use();
  if (impl_->db == nullptr)
    return 0;
  uint64_t sum = 0;
  for (auto* family : impl_->cf) {
    uint64_t bytes = 0;
    if (family != nullptr
        && impl_->db->GetIntProperty(family, rocksdb::DB::Properties::kCurSizeAllMemTables, &bytes))
      sum += bytes;
  }
  return sum;
}

rocksdb::Status store::impl::open_db() {
  auto s = rocksdb::DB::Open(options, dir, families, &cf, &db);
  if (!s.ok()) {
    // Writes still name a family of their batch (null: the default one) and then fail.
    db = nullptr;
    cf.assign(family_count, nullptr);
    return s;
  }
  std::string next;
  if (auto g = db->Get(rocksdb::ReadOptions{}, cf[meta], next_intent_key, &next); g.ok())
    next_intent = std::stoull(next);
  else if (!g.IsNotFound())
    return g;
  std::unique_ptr<rocksdb::Iterator> last{db->NewIterator(rocksdb::ReadOptions{}, cf[events_cf])};
  last->SeekToLast();
  if (last->Valid())
    last_event = std::stoull(last->key().ToString());
  return rocksdb::Status::OK();
}

rocksdb::Status store::impl::reopen() {
  std::unique_lock<std::shared_mutex> alone{gate};
  close();
  return open_db();
}

caf::expected<std::unique_ptr<store>> store::open(const std::string& dir) {
  std::error_code fs_err;
  std::filesystem::create_directories(dir, fs_err);
  if (fs_err)
    return make_error(ec::io_error,
                      "store: cannot create data dir " + dir + ": " + fs_err.message());
  auto x = std::make_unique<impl>();
  x->dir = dir;
  x->health = std::make_unique<write_health>(dir);
  auto& options = x->options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  // Small column families (servers, server hours) seldom fill a memtable and would keep every
  // log file alive: past this size, RocksDB flushes them so the log can go, which bounds the
  // disk the log takes and the replay after a restart.
  options.max_total_wal_size = 256ULL << 20;
  // The ledger's memtable (options_of) takes one writer at a time; the coordinator writes
  // from one actor anyway.
  options.allow_concurrent_memtable_write = false;
  // RocksDB's own log would abort the process on a full disk; this one loses lines instead.
  options.info_log = std::make_shared<store_log>(dir);
  // The store stops and resumes writing by itself (see write_health), RocksDB does not.
  options.listeners.push_back(x->health->listener());
  options.max_bgerror_resume_count = 0;
  for (size_t f = 0; f < family_count; ++f)
    x->families.emplace_back(family_names[f], options_of(static_cast<family>(f)));
  if (auto s = x->open_db(); !s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
      return make_error(ec::conflict, "store: data dir " + dir
                                          + " is in use by another fleet-coordinator; stop it or "
                                            "use another --data-dir ("
                                          + s.ToString() + ")");
    return failed("cannot open data dir " + dir, s);
  }
  x->health->attach([raw = x.get()] { return raw->reopen(); });
  return std::unique_ptr<store>{new store(std::move(x))};
}

store_condition store::condition() const {
  return impl_->health->condition();
}

void store::on_condition_change(std::function<void()> f) {
  impl_->health->on_change(std::move(f));
}

caf::error store::put_server(const server_record& x) {
  auto in_use = impl_->use();
  rocksdb::WriteBatch batch;
  batch.Put(impl_->cf[servers_cf], x.id, encode(x));
  return impl_->write(batch, false, "writing server " + x.id);
}

caf::expected<std::vector<server_record>> store::servers() const {
  auto in_use = impl_->use();
  return impl_->scan<server_record>(servers_cf, "server");
}

caf::error store::put_client(const client_record& x) {
  auto in_use = impl_->use();
  rocksdb::WriteBatch batch;
  batch.Put(impl_->cf[clients_cf], x.email, encode(x));
  return impl_->write(batch, true, "writing client " + x.email);
}

caf::error store::erase_client(const std::string& email) {
  auto in_use = impl_->use();
  rocksdb::WriteBatch batch;
  batch.Delete(impl_->cf[clients_cf], email);
  return impl_->write(batch, true, "erasing client " + email);
}

caf::expected<std::optional<client_record>> store::client(const std::string& email) const {
  auto in_use = impl_->use();
  if (impl_->db == nullptr)
    return impl_->closed();
  std::string value;
  auto s = impl_->db->Get(rocksdb::ReadOptions{}, impl_->cf[clients_cf], email, &value);
  if (s.IsNotFound())
    return std::optional<client_record>{};
  if (!s.ok())
    return failed("reading client " + email, s);
  client_record x;
  if (auto err = decode(value, x))
    return err;
  return std::optional<client_record>{std::move(x)};
}

caf::expected<std::vector<client_record>> store::clients() const {
  auto in_use = impl_->use();
  return impl_->scan<client_record>(clients_cf, "client");
}

caf::expected<uint64_t> store::begin_intent(intent_record x) {
  std::vector<intent_record> one{std::move(x)};
  if (auto err = begin_intents(one))
    return err;
  return one.front().id;
}

caf::error store::begin_intents(std::vector<intent_record>& xs) {
  auto in_use = impl_->use();
  if (xs.empty())
    return caf::none;
  rocksdb::WriteBatch batch;
  auto next = impl_->next_intent;
  for (auto& x : xs) {
    x.id = next++;
    batch.Put(impl_->cf[intents_cf], intent_key(x.id), encode(x));
  }
  batch.Put(impl_->cf[meta], next_intent_key, std::to_string(next));
  auto what = xs.size() == 1 ? "writing intent for " + xs.front().email
                             : "writing " + std::to_string(xs.size()) + " intents";
  if (auto err = impl_->write(batch, true, what))
    return err;
  impl_->next_intent = next;
  return caf::none;
}

caf::error store::complete_intent(uint64_t id, const client_record* put,
                                  const std::string* erase_email) {
  auto in_use = impl_->use();
  rocksdb::WriteBatch batch;
  batch.Delete(impl_->cf[intents_cf], intent_key(id));
  if (put != nullptr)
    batch.Put(impl_->cf[clients_cf], put->email, encode(*put));
  if (erase_email != nullptr)
    batch.Delete(impl_->cf[clients_cf], *erase_email);
  return impl_->write(batch, false, "completing intent " + std::to_string(id));
}

caf::error store::commit(confirmed_writes& x) {
  auto in_use = impl_->use();
  if (x.empty())
    return caf::none;
  rocksdb::WriteBatch batch;
  for (const auto& [id, record] : x.created) {
    batch.Delete(impl_->cf[intents_cf], intent_key(id));
    batch.Put(impl_->cf[clients_cf], record.email, encode(record));
  }
  for (const auto& [key, answer] : x.answers)
    batch.Put(impl_->cf[answers_cf], key, encode(answer));
  // Numbered and written under the append lock, so events stay in sequence order.
  std::lock_guard<std::mutex> guard{impl_->append_mtx};
  auto seq = put_events(batch, impl_->cf[events_cf], x.events, impl_->last_event.load());
  auto what = "recording " + std::to_string(x.created.size()) + " created clients";
  if (auto err = impl_->write(batch, !x.answers.empty(), what)) {
    for (auto& e : x.events)
      e.seq = 0;
    return err;
  }
  impl_->last_event = seq;
  return caf::none;
}

caf::error store::complete_move(uint64_t id, const client_record& moved, const stale_copy& left) {
  auto in_use = impl_->use();
  rocksdb::WriteBatch batch;
  batch.Delete(impl_->cf[intents_cf], intent_key(id));
  batch.Put(impl_->cf[clients_cf], moved.email, encode(moved));
  batch.Put(impl_->cf[stale_cf], stale_key(left.server_id, left.email), encode(left));
  return impl_->write(batch, false, "completing the move of " + moved.email);
}

caf::expected<std::vector<stale_copy>> store::stale_copies(const std::string& server_id) const {
  auto in_use = impl_->use();
  if (impl_->db == nullptr)
    return impl_->closed();
  std::vector<stale_copy> out;
  auto prefix = server_id + '\n';
  std::unique_ptr<rocksdb::Iterator> it{
      impl_->db->NewIterator(rocksdb::ReadOptions{}, impl_->cf[stale_cf])};
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    stale_copy x;
    if (auto err = decode(it->value().ToString(), x))
      return make_error(ec::io_error, "store: stale copy of " + server_id + ": " + message_of(err));
    out.push_back(std::move(x));
  }
  if (!it->status().ok())
    return failed("reading stale copies", it->status());
  return out;
}

caf::expected<std::vector<stale_copy>> store::stale_copies() const {
  auto in_use = impl_->use();
  return impl_->scan<stale_copy>(stale_cf, "stale copy");
}

caf::error store::put_stale(const stale_copy& x) {
  auto in_use = impl_->use();
  rocksdb::WriteBatch batch;
  batch.Put(impl_->cf[stale_cf], stale_key(x.server_id, x.email), encode(x));
  return impl_->write(batch, false, "writing the stale copy of " + x.email);
}

caf::error store::erase_stale(const std::string& server_id, const std::string& email) {
  auto in_use = impl_->use();
  rocksdb::WriteBatch batch;
  batch.Delete(impl_->cf[stale_cf], stale_key(server_id, email));
  return impl_->write(batch, false, "erasing the stale copy of " + email);
}

caf::error store::put_ledger(const std::vector<ledger_record>& xs) {
  auto in_use = impl_->use();
  if (xs.empty())
    return caf::none;
  rocksdb::WriteBatch batch;
  impl_->put_ledger(batch, xs);
  return impl_->write(batch, false, "writing " + std::to_string(xs.size()) + " ledger entries");
}

caf::error store::write_round(const std::vector<ledger_record>& entries,
                              const std::vector<usage_bucket>& client_hours,
                              const std::vector<usage_bucket>& server_hours) {
  auto in_use = impl_->use();
  for (const auto* xs : {&client_hours, &server_hours})
    for (const auto& x : *xs)
      if (!usage_hours::valid_owner(x.owner))
        return make_error(ec::invalid_argument,
                          "store: an owner of hourly usage contains a line break");
  if (entries.empty() && client_hours.empty() && server_hours.empty())
    return caf::none;
  rocksdb::WriteBatch batch;
  impl_->put_ledger(batch, entries);
  impl_->add_hours(batch, client_hours_cf, client_hours);
  impl_->add_hours(batch, server_hours_cf, server_hours);
  return impl_->write(batch, false,
                      "writing a sample round (" + std::to_string(entries.size())
                          + " ledger entries, " + std::to_string(client_hours.size())
                          + " client hours, " + std::to_string(server_hours.size())
                          + " server hours)");
}

caf::error store::forget_usage(const std::string& email,
                               const std::vector<ledger_record>& retired) {
  auto in_use = impl_->use();
  // Keys of `email` are `email` '\n' ...; '\v' is the next byte.
  auto begin = email + '\n';
  auto end = email + '\v';
  rocksdb::WriteBatch batch;
  batch.DeleteRange(impl_->cf[ledger_cf], begin, end);
  batch.DeleteRange(impl_->cf[client_hours_cf], begin, end);
  impl_->put_ledger(batch, retired);
  return impl_->write(batch, false, "forgetting the usage of " + email);
}

caf::expected<std::vector<usage_bucket>> store::client_hours(const std::string& email,
                                                             int64_t from_ms, int64_t to_ms) const {
  auto in_use = impl_->use();
  return impl_->hours(client_hours_cf, email, from_ms, to_ms, "client");
}

caf::expected<std::vector<usage_bucket>> store::server_hours(const std::string& id, int64_t from_ms,
                                                             int64_t to_ms) const {
  auto in_use = impl_->use();
  return impl_->hours(server_hours_cf, id, from_ms, to_ms, "server");
}

caf::expected<std::vector<ledger_record>> store::ledger() const {
  auto in_use = impl_->use();
  if (impl_->db == nullptr)
    return impl_->closed();
  std::vector<ledger_record> out;
  std::unique_ptr<rocksdb::Iterator> it{
      impl_->db->NewIterator(rocksdb::ReadOptions{}, impl_->cf[ledger_cf])};
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ledger_record x;
    if (auto err = decode(it->key().ToStringView(), it->value().ToString(), x))
      return make_error(ec::io_error,
                        "store: ledger entry " + it->key().ToString() + ": " + message_of(err));
    out.push_back(std::move(x));
  }
  if (!it->status().ok())
    return failed("reading ledger entries", it->status());
  return out;
}

caf::expected<std::vector<intent_record>> store::open_intents() const {
  auto in_use = impl_->use();
  return impl_->scan<intent_record>(intents_cf, "intent");
}

caf::error store::append_events(std::vector<event_record>& events) {
  auto in_use = impl_->use();
  if (events.empty())
    return caf::none;
  std::lock_guard<std::mutex> guard{impl_->append_mtx};
  rocksdb::WriteBatch batch;
  auto seq = put_events(batch, impl_->cf[events_cf], events, impl_->last_event.load());
  if (auto err = impl_->write(batch, false, "appending events"))
    return err;
  impl_->last_event = seq;
  return caf::none;
}

caf::expected<std::vector<event_record>> store::events_after(uint64_t after, size_t limit) const {
  auto in_use = impl_->use();
  if (impl_->db == nullptr)
    return impl_->closed();
  std::vector<event_record> out;
  std::unique_ptr<rocksdb::Iterator> it{
      impl_->db->NewIterator(rocksdb::ReadOptions{}, impl_->cf[events_cf])};
  for (it->Seek(intent_key(after + 1)); it->Valid() && out.size() < limit; it->Next()) {
    event_record x;
    if (auto err = decode(it->value().ToString(), x))
      return make_error(ec::io_error,
                        "store: event " + it->key().ToString() + ": " + message_of(err));
    out.push_back(std::move(x));
  }
  if (!it->status().ok())
    return failed("reading events", it->status());
  return out;
}

uint64_t store::last_event_seq() const noexcept {
  return impl_->last_event.load();
}

caf::error store::put_answer(const std::string& key, const idempotent_answer& x) {
  auto in_use = impl_->use();
  rocksdb::WriteBatch batch;
  batch.Put(impl_->cf[answers_cf], key, encode(x));
  return impl_->write(batch, true, "writing idempotency key");
}

caf::expected<std::optional<idempotent_answer>> store::answer(const std::string& key) const {
  auto in_use = impl_->use();
  if (impl_->db == nullptr)
    return impl_->closed();
  std::string value;
  auto s = impl_->db->Get(rocksdb::ReadOptions{}, impl_->cf[answers_cf], key, &value);
  if (s.IsNotFound())
    return std::optional<idempotent_answer>{};
  if (!s.ok())
    return failed("reading idempotency key", s);
  idempotent_answer x;
  if (auto err = decode(value, x))
    return err;
  return std::optional<idempotent_answer>{std::move(x)};
}

} // namespace fleet
