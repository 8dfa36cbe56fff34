#pragma once

#include <catch2/catch.hpp>
#include <rocksdb/db.h>

#include <algorithm>
#include <string>
#include <vector>

namespace fleet::test {

/// A RocksDB database opened directly, below the store, to plant damaged data or to watch
/// what compactions do. Opens the column families already in `dir` (or only the default one of a
/// new database) (all of them, so the open cannot fail for a missing one) plus those of `extra` not
/// there yet.
class raw_db {
public:
  explicit raw_db(const std::string& dir, std::vector<rocksdb::ColumnFamilyDescriptor> extra = {}) {
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<std::string> names;
    if (!rocksdb::DB::ListColumnFamilies(options, dir, &names).ok()) // a new database
      names = {rocksdb::kDefaultColumnFamilyName};
    for (const auto& name : names)
      if (std::none_of(extra.begin(), extra.end(), [&](const auto& d) { return d.name == name; }))
        extra.emplace_back(name, rocksdb::ColumnFamilyOptions{});
    for (const auto& d : extra)
      names_.push_back(d.name);
    REQUIRE(rocksdb::DB::Open(options, dir, extra, &handles_, &db_).ok());
  }

  ~raw_db() {
    for (auto* h : handles_)
      db_->DestroyColumnFamilyHandle(h);
    delete db_;
  }

  raw_db(const raw_db&) = delete;
  raw_db& operator=(const raw_db&) = delete;

  [[nodiscard]] rocksdb::DB& db() { return *db_; }

  /// The handle of the column family `name`.
  [[nodiscard]] rocksdb::ColumnFamilyHandle* family(const std::string& name) {
    for (size_t i = 0; i < names_.size(); ++i)
      if (names_[i] == name)
        return handles_[i];
    FAIL("no column family " << name);
    return nullptr;
  }

private:
  rocksdb::DB* db_ = nullptr;
  std::vector<std::string> names_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

} // namespace fleet::test
