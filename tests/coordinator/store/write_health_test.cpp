#include "coordinator/api/api_errors.hpp"
#include "coordinator/store/write_health.hpp"

#include <catch2/catch.hpp>

namespace fleet::store_detail {
namespace {

TEST_CASE("failed writes from a full, read-only or failing disk stop the store's writes",
          "[store]") {
  CHECK(stops_writes(rocksdb::Status::NoSpace("While appending to file: 000004.log")));
  CHECK(stops_writes(rocksdb::Status::IOError("While open a file for appending: 000009.log",
                                              "Read-only file system")));
  CHECK(stops_writes(rocksdb::Status::IOError("While appending", "Input/output error")));
  CHECK(stops_writes(rocksdb::Status::Corruption("block checksum mismatch")));
  CHECK_FALSE(stops_writes(rocksdb::Status::OK()));
  CHECK_FALSE(stops_writes(rocksdb::Status::InvalidArgument("no such column family")));
  CHECK_FALSE(stops_writes(rocksdb::Status::NotSupported("merge operator")));
}

TEST_CASE("the reason names the cause, the data dir and what to do", "[store]") {
  auto full = unwritable_reason("/var/lib/xui-fleet", rocksdb::Status::NoSpace("appending"));
  CHECK_THAT(full, Catch::StartsWith("the state store cannot write: No space left on device")
                       && Catch::Contains("free space on the file system of /var/lib/xui-fleet")
                       && Catch::Contains("writes resume by themselves"));
  auto read_only = unwritable_reason(
      "/data", rocksdb::Status::IOError("While open a file for appending: /data/000009.log",
                                        "Read-only file system"));
  CHECK_THAT(read_only, Catch::Contains("/data is read-only; remount it read-write"));
  auto failing = unwritable_reason("/data", rocksdb::Status::IOError("Input/output error"));
  CHECK_THAT(failing, Catch::Contains("Input/output error") && Catch::Contains("check the disk"));
  auto damaged = unwritable_reason("/data", rocksdb::Status::Corruption("checksum mismatch"));
  CHECK_THAT(damaged, Catch::Contains("damaged") && Catch::Contains("restore it from a backup"));
}

TEST_CASE("a store that cannot write answers 503 store_unavailable", "[store][api]") {
  auto answer = to_api_error(make_error(ec::store_unavailable, "the state store cannot write"));
  CHECK(answer.status == 503);
  CHECK(answer.body["error"]["code"] == "store_unavailable");
  CHECK(answer.body["error"]["message"] == "the state store cannot write");
  CHECK(to_string(ec::store_unavailable) == "store_unavailable");
  // Other store errors stay internal.
  CHECK(to_api_error(make_error(ec::io_error, "store: reading")).status == 500);
}

} // namespace
} // namespace fleet::store_detail
