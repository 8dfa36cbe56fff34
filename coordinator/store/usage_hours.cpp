#include "coordinator/store/usage_hours.hpp"

#include <rocksdb/compaction_filter.h>
#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>

namespace fleet::usage_hours {

namespace {

constexpr char separator = '\n';
constexpr uint64_t sign_bit = uint64_t{1} << 63;

void put_uint(std::string& out, uint64_t x, bool big_endian) {
  for (int i = 0; i < 8; ++i) {
    auto shift = big_endian ? 8 * (7 - i) : 8 * i;
    out.push_back(static_cast<char>((x >> shift) & 0xff));
  }
}

uint64_t get_uint(std::string_view in, bool big_endian) noexcept {
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i) {
    auto shift = big_endian ? 8 * (7 - i) : 8 * i;
    x |= uint64_t{static_cast<unsigned char>(in[static_cast<size_t>(i)])} << shift;
  }
  return x;
}

/// The hour in the last 8 bytes of a key.
int64_t hour_in(std::string_view eight) noexcept {
  return static_cast<int64_t>(get_uint(eight, true) ^ sign_bit);
}

/// Sums two counts the way unsigned integers add (wrapping instead of undefined overflow).
int64_t add(int64_t x, int64_t y) noexcept {
  return static_cast<int64_t>(static_cast<uint64_t>(x) + static_cast<uint64_t>(y));
}

class add_operator final : public rocksdb::AssociativeMergeOperator {
public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* merged, rocksdb::Logger*) const override {
    // A damaged side counts as zero (see make_merge_operator).
    byte_counts sum;
    if (existing != nullptr)
      sum = decode(existing->ToStringView()).value_or(byte_counts{});
    auto more = decode(value.ToStringView()).value_or(byte_counts{});
    *merged = encode({add(sum.up, more.up), add(sum.down, more.down)});
    return true;
  }

  const char* Name() const override { return "fleet.usage_hours.add"; }
};

class retention_filter final : public rocksdb::CompactionFilter {
public:
  retention_filter(int64_t now_ms, int64_t retention_ms)
      : now_ms_(now_ms), retention_ms_(retention_ms) {
    // nop
  }

  bool Filter(int, const rocksdb::Slice& k, const rocksdb::Slice&, std::string*,
              bool*) const override {
    return drop(k);
  }

  bool FilterMergeOperand(int, const rocksdb::Slice& k, const rocksdb::Slice&) const override {
    return drop(k);
  }

  const char* Name() const override { return "fleet.usage_hours.retention"; }

private:
  /// A key without an hour is left alone: it is not ours to judge.
  bool drop(const rocksdb::Slice& k) const noexcept {
    if (k.size() < 9 || k[k.size() - 9] != separator)
      return false;
    return expired(hour_in(k.ToStringView().substr(k.size() - 8)), now_ms_, retention_ms_);
  }

  int64_t now_ms_;
  int64_t retention_ms_;
};

class retention_factory final : public rocksdb::CompactionFilterFactory {
public:
  retention_factory(const clock& c, int64_t retention_ms) : clock_(c), retention_ms_(retention_ms) {
    // nop
  }

  std::unique_ptr<rocksdb::CompactionFilter>
  CreateCompactionFilter(const rocksdb::CompactionFilter::Context&) override {
    // One reading of the clock per compaction: its decisions agree with each other.
    return std::make_unique<retention_filter>(clock_.wall_ms(), retention_ms_);
  }

  const char* Name() const override { return "fleet.usage_hours.retention"; }

private:
  const clock& clock_;
  int64_t retention_ms_;
};

} // namespace

int64_t hour_start(int64_t ms) noexcept {
  auto rest = ms % hour_ms;
  return rest < 0 ? ms - rest - hour_ms : ms - rest;
}

bool valid_owner(std::string_view owner) noexcept {
  return owner.find(separator) == std::string_view::npos;
}

std::string key(std::string_view owner, int64_t hour) {
  std::string out;
  out.reserve(owner.size() + 9);
  out.append(owner);
  out.push_back(separator);
  put_uint(out, static_cast<uint64_t>(hour) ^ sign_bit, true);
  return out;
}

std::optional<int64_t> hour_of(std::string_view k, std::string_view owner) noexcept {
  if (k.size() != owner.size() + 9 || k.substr(0, owner.size()) != owner
      || k[owner.size()] != separator)
    return std::nullopt;
  return hour_in(k.substr(owner.size() + 1));
}

std::string encode(const byte_counts& x) {
  std::string out;
  out.reserve(16);
  put_uint(out, static_cast<uint64_t>(x.up), false);
  put_uint(out, static_cast<uint64_t>(x.down), false);
  return out;
}

std::optional<byte_counts> decode(std::string_view value) noexcept {
  if (value.size() != 16)
    return std::nullopt;
  return byte_counts{static_cast<int64_t>(get_uint(value, false)),
                     static_cast<int64_t>(get_uint(value.substr(8), false))};
}

caf::expected<std::vector<usage_bucket>> read(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family,
                                              const char* what, const std::string& owner,
                                              int64_t from_ms, int64_t to_ms) {
  auto name = std::string{what} + " " + owner;
  if (!valid_owner(owner))
    return make_error(ec::invalid_argument,
                      "store: hourly usage of " + name + ": the owner contains a line break");
  std::vector<usage_bucket> out;
  if (from_ms >= to_ms)
    return out;
  // The bound keeps the scan inside the owner's keys: no other owner's key lies between.
  auto upper = key(owner, to_ms);
  rocksdb::Slice upper_bound{upper};
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_bound;
  std::unique_ptr<rocksdb::Iterator> it{db.NewIterator(ro, family)};
  for (it->Seek(key(owner, from_ms)); it->Valid(); it->Next()) {
    auto hour = hour_of(it->key().ToStringView(), owner);
    auto bytes = decode(it->value().ToStringView());
    if (!hour || !bytes)
      return make_error(ec::io_error, "store: damaged hourly usage of " + name + " ("
                                          + std::to_string(it->key().size()) + "-byte key, "
                                          + std::to_string(it->value().size()) + "-byte value)");
    out.push_back(usage_bucket{owner, *hour, *bytes});
  }
  if (!it->status().ok())
    return make_error(ec::io_error,
                      "store: reading hourly usage of " + name + ": " + it->status().ToString());
  return out;
}

std::shared_ptr<rocksdb::MergeOperator> make_merge_operator() {
  return std::make_shared<add_operator>();
}

std::shared_ptr<rocksdb::CompactionFilterFactory> make_retention_filter(const clock& c,
                                                                        int64_t retention_ms) {
  return std::make_shared<retention_factory>(c, retention_ms);
}

} // namespace fleet::usage_hours
