#pragma once

// What a benchmark reads about its CPU and its writes: thread and process CPU clocks, the
// byte counters of /proc/self/io, the size of a directory, and the SST bytes RocksDB says it
// wrote (its LOG's event lines), for a store that exposes no statistics of its own.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <system_error>

namespace fleet::bench {

/// CPU seconds of `clock` (CLOCK_THREAD_CPUTIME_ID: the calling thread;
/// CLOCK_PROCESS_CPUTIME_ID: every thread of the process, RocksDB's background ones too).
inline double cpu_clock_seconds(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

inline double thread_cpu() {
  return cpu_clock_seconds(CLOCK_THREAD_CPUTIME_ID);
}

inline double process_cpu() {
  return cpu_clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}

/// Byte counters of /proc/self/io: `wchar` counts every byte handed to write(2) and its
/// kin (page cache included), `write_bytes` what the process caused to be sent to the block
/// layer (it lags behind by the kernel's writeback, and stays 0 where the file system does
/// not account it, as on tmpfs or overlay in some containers).
struct io_counters {
  int64_t wchar = 0;
  int64_t write_bytes = 0;
  /// Bytes of `write_bytes` that never reached the device: their file was deleted or
  /// truncated while they were still in the page cache (a WAL after its flush, say).
  int64_t cancelled_write_bytes = 0;

  io_counters operator-(const io_counters& x) const noexcept {
    return {wchar - x.wchar, write_bytes - x.write_bytes,
            cancelled_write_bytes - x.cancelled_write_bytes};
  }
};

inline io_counters read_io() {
  io_counters out;
  std::ifstream in{"/proc/self/io"};
  std::string key;
  int64_t value = 0;
  while (in >> key >> value) {
    if (key == "wchar:")
      out.wchar = value;
    else if (key == "write_bytes:")
      out.write_bytes = value;
    else if (key == "cancelled_write_bytes:")
      out.cancelled_write_bytes = value;
  }
  return out;
}

/// Bytes of the regular files below `dir` whose name ends in `suffix` (every file: "").
inline int64_t dir_bytes(const std::filesystem::path& dir, const std::string& suffix = {}) {
  int64_t out = 0;
  std::error_code err;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir, err)) {
    auto name = f.path().filename().string();
    if (f.is_regular_file(err) && name.size() >= suffix.size()
        && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      out += static_cast<int64_t>(f.file_size(err));
  }
  return out;
}

/// Table files of one column family still live (created and not deleted since).
struct live_tables {
  int files = 0;
  int64_t bytes = 0;
  int64_t entries = 0;
};

/// What RocksDB's event log (lines "EVENT_LOG_v1 {...}" in LOG and LOG.old.*) says it wrote.
struct sst_writes {
  /// Bytes of every table file created (flushes and compactions).
  int64_t table_bytes = 0;
  /// Bytes compactions wrote (part of `table_bytes`).
  int64_t compaction_bytes = 0;
  int tables = 0;
  int compactions = 0;
  /// By column family.
  std::map<std::string, live_tables> live;
};

inline sst_writes read_event_log(const std::filesystem::path& dir) {
  sst_writes out;
  struct table {
    std::string family;
    int64_t bytes = 0;
    int64_t entries = 0;
  };
  std::map<int64_t, table> created;
  std::set<int64_t> deleted;
  std::error_code err;
  for (const auto& f : std::filesystem::directory_iterator(dir, err)) {
    if (f.path().filename().string().rfind("LOG", 0) != 0)
      continue;
    std::ifstream in{f.path()};
    std::string line;
    while (std::getline(in, line)) {
      auto at = line.find("EVENT_LOG_v1 ");
      if (at == std::string::npos)
        continue;
      auto event = nlohmann::json::parse(line.substr(at + 13), nullptr, false);
      if (!event.is_object())
        continue;
      auto name = event.value("event", std::string{});
      auto number = event.value("file_number", int64_t{0});
      if (name == "table_file_creation") {
        auto bytes = event.value("file_size", int64_t{0});
        auto props = event.value("table_properties", nlohmann::json::object());
        created[number] = {event.value("cf_name", std::string{}), bytes,
                           props.value("num_entries", int64_t{0})};
        out.table_bytes += bytes;
        ++out.tables;
      } else if (name == "table_file_deletion") {
        deleted.insert(number);
      } else if (name == "compaction_finished") {
        ++out.compactions;
        out.compaction_bytes += event.value("total_output_size", int64_t{0});
      }
    }
  }
  for (const auto& [number, t] : created)
    if (deleted.count(number) == 0) {
      auto& l = out.live[t.family];
      ++l.files;
      l.bytes += t.bytes;
      l.entries += t.entries;
    }
  return out;
}

} // namespace fleet::bench
