#pragma once

#include "common/clock.hpp"
#include "common/error.hpp"
#include "coordinator/ledger/traffic_ledger.hpp"
#include "coordinator/store/records.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rocksdb {
class ColumnFamilyHandle;
class CompactionFilterFactory;
class DB;
class MergeOperator;
} // namespace rocksdb

namespace fleet {

/// The layout of hourly usage buckets in the store, and the RocksDB hooks that add rounds to
/// them and expire them.
///
/// Key: the owner (an email or a server id), '\n' (which occurs in neither), then the start
/// of the hour as 8 bytes big-endian with the sign bit flipped, so that the keys of one owner
/// sort by hour and the keys of "u1" never interleave with those of "u10".
/// Value: 16 bytes, the bytes up and down as little-endian int64.
namespace usage_hours {

/// The length of a bucket.
constexpr int64_t hour_ms = 3600LL * 1000;

/// The start of the hour `ms` falls in (rounded down, also before 1970).
[[nodiscard]] int64_t hour_start(int64_t ms) noexcept;

/// Whether `owner` can have buckets: it must not contain the key's separator.
[[nodiscard]] bool valid_owner(std::string_view owner) noexcept;

/// The key of `owner`'s bucket of the hour starting at `hour`.
[[nodiscard]] std::string key(std::string_view owner, int64_t hour);

/// The hour of a key of `owner`, or nothing when `k` is not one.
[[nodiscard]] std::optional<int64_t> hour_of(std::string_view k, std::string_view owner) noexcept;

/// The 16 bytes of a bucket's value.
[[nodiscard]] std::string encode(const byte_counts& x);

/// The counts of a value, or nothing when it is not 16 bytes long.
[[nodiscard]] std::optional<byte_counts> decode(std::string_view value) noexcept;

/// Whether the bucket of `hour` is past `retention_ms` at `now_ms`.
[[nodiscard]] constexpr bool expired(int64_t hour, int64_t now_ms, int64_t retention_ms) noexcept {
  return hour < now_ms - retention_ms;
}

/// The buckets of `owner` in `family` whose hour is in [from_ms, to_ms), oldest first. Fails
/// with `invalid_argument` for an owner that cannot have buckets, and with `io_error` naming
/// `what` (client or server) and the owner for a damaged bucket or a failed read.
[[nodiscard]] caf::expected<std::vector<usage_bucket>>
read(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family, const char* what,
     const std::string& owner, int64_t from_ms, int64_t to_ms);

/// Adds values: a round is written as a merge operand, never read first. A value that is not
/// 16 bytes long counts as zero: refusing it would fail every compaction of its column family
/// (and stop the store's writes) over one damaged bucket. Stateless and thread-safe.
[[nodiscard]] std::shared_ptr<rocksdb::MergeOperator> make_merge_operator();

/// Drops the values and merge operands of buckets that are `expired` at `c.wall_ms()` when a
/// compaction sees them. A merged value is only looked at by a later compaction, so an expired
/// hour can stay on disk a while longer: readers skip expired hours themselves. (Where a key
/// mixes puts and merges, RocksDB only promises to show the filter the merge operands; the
/// store only merges.) `c` must outlive every database that uses the factory.
[[nodiscard]] std::shared_ptr<rocksdb::CompactionFilterFactory>
make_retention_filter(const clock& c, int64_t retention_ms);

} // namespace usage_hours

} // namespace fleet
