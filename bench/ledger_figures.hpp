#pragma once

// The figures ledger_bench measures and how it prints them.

#include "bench/io_stats.hpp"
#include "bench/loopback_check.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace fleet::bench {

/// One sample round over the whole fleet. CPU in seconds: `check_s`, `charge_s` and
/// `write_s` are the bench thread's; `background_s` every other thread's (RocksDB's flushes
/// and compactions), until they were idle after the round.
struct round_figures {
  std::string kind;
  /// Clients whose counters grew.
  int64_t grown = 0;
  /// Ledger entries written.
  int64_t entries = 0;
  /// Bytes of the panels' answers.
  int64_t answer_bytes = 0;
  double check_s = 0;
  double charge_s = 0;
  double write_s = 0;
  double background_s = 0;
  /// Keys and values in the write batches.
  int64_t logical_bytes = 0;
  /// /proc/self/io over the round and its background work.
  io_counters io;
  /// Wall time of charging and writing.
  double ledger_wall_s = 0;
  /// CPU the bench spent making the panels' answers (the load, in no other figure).
  double generate_s = 0;

  [[nodiscard]] double ledger_s() const noexcept { return charge_s + write_s + background_s; }

  void add(const round_figures& x) {
    grown += x.grown;
    entries += x.entries;
    answer_bytes += x.answer_bytes;
    check_s += x.check_s;
    charge_s += x.charge_s;
    write_s += x.write_s;
    background_s += x.background_s;
    logical_bytes += x.logical_bytes;
    io.wchar += x.io.wchar;
    io.write_bytes += x.io.write_bytes;
    io.cancelled_write_bytes += x.io.cancelled_write_bytes;
    ledger_wall_s += x.ledger_wall_s;
    generate_s += x.generate_s;
  }

  /// The figures divided by `n` (an average of `n` rounds).
  [[nodiscard]] round_figures per(int n) const {
    auto d = static_cast<double>(n);
    auto out = *this;
    out.grown /= n;
    out.entries /= n;
    out.answer_bytes /= n;
    out.check_s /= d;
    out.charge_s /= d;
    out.write_s /= d;
    out.background_s /= d;
    out.logical_bytes /= n;
    out.io = {io.wchar / n, io.write_bytes / n, io.cancelled_write_bytes / n};
    out.ledger_wall_s /= d;
    out.generate_s /= d;
    return out;
  }
};

inline double mib(int64_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

inline double ratio(double x, double y) {
  return y > 0 ? x / y : 0.0;
}

/// Share of one core (percent) of `cpu_s` spent every 30 s.
inline double core_share(double cpu_s) {
  return cpu_s / 30.0 * 100.0;
}

/// The rounds averaged by kind, in the order the kinds first ran.
inline std::vector<round_figures> by_kind(const std::vector<round_figures>& figures) {
  std::vector<round_figures> sums;
  std::vector<int> counts;
  for (const auto& f : figures) {
    size_t k = 0;
    while (k < sums.size() && sums[k].kind != f.kind)
      ++k;
    if (k == sums.size()) {
      sums.emplace_back().kind = f.kind;
      counts.push_back(0);
    }
    sums[k].add(f);
    ++counts[k];
  }
  for (size_t k = 0; k < sums.size(); ++k)
    sums[k] = sums[k].per(counts[k]);
  return sums;
}

inline void print_cpu_row(const char* label, const round_figures& f) {
  std::printf("  %-16s %8lld %9.0f %9.0f %9.0f %9.0f %9.0f %8.2f %8.2f %% %7.2f %%\n", label,
              static_cast<long long>(f.grown), f.check_s * 1e3, f.charge_s * 1e3, f.write_s * 1e3,
              f.background_s * 1e3, f.ledger_s() * 1e3, ratio(f.ledger_s(), f.check_s),
              core_share(f.check_s), core_share(f.check_s + f.ledger_s()));
}

inline void print_io_row(const char* label, const round_figures& f) {
  std::printf(
      "  %-16s %9.1f %9.1f %11.1f %9.1f %9.2f %10.0f %9.0f %9.2f\n", label, mib(f.logical_bytes),
      mib(f.io.wchar), mib(f.io.write_bytes), mib(f.io.cancelled_write_bytes),
      ratio(static_cast<double>(f.io.wchar), static_cast<double>(f.logical_bytes)),
      ratio(static_cast<double>(f.io.wchar), static_cast<double>(f.entries)),
      ratio(static_cast<double>(f.logical_bytes), static_cast<double>(f.entries)), f.ledger_wall_s);
}

/// The rounds one by one, then averaged by kind.
inline void print_rounds(int panels, int clients, int rounds,
                         const std::vector<round_figures>& figures) {
  std::printf("traffic ledger per sample round: %d panels x %d clients, rounds: first sight, "
              "%d with every client grown, %d with 10%% grown; 30 s apart\n",
              panels, clients, rounds, rounds);
  std::printf("  CPU ms per round (ledger = charge + store write + RocksDB background threads)\n");
  std::printf("  %-16s %8s %9s %9s %9s %9s %9s %8s %10s %9s\n", "round", "grown", "checks",
              "charge", "write", "backgr", "ledger", "ldg/chk", "chk %core", "+ledger");
  for (size_t i = 0; i < figures.size(); ++i) {
    auto label = std::to_string(i + 1) + " " + figures[i].kind;
    print_cpu_row(label.c_str(), figures[i]);
  }
  auto kinds = by_kind(figures);
  std::printf("  average per kind (%% of one core at a 30 s interval; budget <= 10 %% for the "
              "checks plus the ledger)\n");
  for (const auto& f : kinds)
    print_cpu_row(f.kind.c_str(), f);
  std::printf("  writes per round (MiB; wchar: bytes handed to write(2); write_bytes: bytes "
              "dirtied for the device, of which cancelled: deleted before writeback)\n");
  std::printf("  %-16s %9s %9s %11s %9s %9s %10s %9s %9s\n", "round", "logical", "wchar",
              "write_bytes", "cancelled", "wchar/log", "wchar B/cl", "log B/cl", "ldg wall s");
  for (size_t i = 0; i < figures.size(); ++i) {
    auto label = std::to_string(i + 1) + " " + figures[i].kind;
    print_io_row(label.c_str(), figures[i]);
  }
  for (const auto& f : kinds)
    print_io_row(f.kind.c_str(), f);
  std::printf("  (B/cl: bytes per charged client; logical: keys and values in the batches; one "
              "panel answer %.0f KiB)\n",
              static_cast<double>(figures.front().answer_bytes) / panels / 1024.0);
}

/// The figures the budget is about, per kind of round: share of one core at the health
/// interval for the checks alone and with the ledger, CPU per client, bytes written.
inline void print_summary(int panels, int clients, const std::vector<round_figures>& figures) {
  auto all = static_cast<double>(panels) * clients;
  std::printf("summary: %d panels x %d clients sampled every 30 s (the default "
              "health_check_interval); budget <= 10 %% of one core for checks + ledger\n",
              panels, clients);
  std::printf("  %-12s %12s %14s %8s %12s %12s %12s %10s\n", "round", "checks %core",
              "+ledger %core", "budget", "checks us/cl", "ledger us/cl", "written MiB",
              "B/charged");
  for (const auto& f : by_kind(figures)) {
    auto with_ledger = core_share(f.check_s + f.ledger_s());
    std::printf("  %-12s %10.2f %% %12.2f %% %8s %12.2f %12.2f %12.1f %10.0f\n", f.kind.c_str(),
                core_share(f.check_s), with_ledger, with_ledger <= 10.0 ? "met" : "MISSED",
                f.check_s * 1e6 / all, f.ledger_s() * 1e6 / all, mib(f.io.wchar),
                ratio(static_cast<double>(f.io.wchar), static_cast<double>(f.entries)));
  }
  round_figures total;
  for (const auto& f : figures)
    total.add(f);
  std::printf("  (us/cl: CPU microseconds per client per round, over every client; written: bytes "
              "handed to write(2) per round; the load: the bench made every panel's answer itself, "
              "%.2f s of CPU per round on the checks' thread, counted in no figure above)\n",
              total.generate_s / static_cast<double>(figures.size()));
}

/// Resident memory in MiB at the points the bench passes.
struct memory_figures {
  int64_t clients = 0;
  double before = 0;
  double book = 0;
  double after_rounds = 0;
  double peak = 0;
  double store_closed = 0;
};

inline void print_memory(const memory_figures& m) {
  auto per = [&m](double mib_delta) {
    return mib_delta * 1024.0 * 1024.0 / static_cast<double>(m.clients);
  };
  std::printf("memory (RSS) for %lld clients\n", static_cast<long long>(m.clients));
  std::printf("  client book              +%.1f MiB (%.0f B per client)\n", m.book - m.before,
              per(m.book - m.before));
  std::printf("  traffic ledger           +%.1f MiB (%.0f B per client; store closed, so no "
              "memtables)\n",
              m.store_closed - m.book, per(m.store_closed - m.book));
  std::printf("  book + ledger            +%.1f MiB\n", m.store_closed - m.before);
  std::printf("  after the rounds         %.1f MiB, peak %.1f MiB (RocksDB memtables and the "
              "bench's own answers included; before the book %.1f MiB)\n",
              m.after_rounds, m.peak, m.before);
}

struct disk_figures {
  /// The data dir after the rounds: everything, and the WAL files in it.
  int64_t dir_open = 0;
  int64_t wal_open = 0;
  int64_t dir_flushed = 0;
  sst_writes sst;
  double reopen_s = 0;
  io_counters reopen_io;
};

inline void print_disk(const std::vector<round_figures>& figures, const disk_figures& d) {
  round_figures all;
  for (const auto& f : figures)
    all.add(f);
  auto times = [&all](int64_t x) {
    return ratio(static_cast<double>(x), static_cast<double>(all.logical_bytes));
  };
  std::printf("write amplification over all rounds\n");
  std::printf("  logical bytes            %.1f MiB; wchar %.1f MiB (x%.2f); write_bytes %.1f MiB "
              "(x%.2f), %.1f MiB of them cancelled\n",
              mib(all.logical_bytes), mib(all.io.wchar), times(all.io.wchar),
              mib(all.io.write_bytes), times(all.io.write_bytes),
              mib(all.io.cancelled_write_bytes));
  std::printf("  RocksDB table files      %d written, %.1f MiB (x%.2f; %d compactions wrote %.1f "
              "MiB of them; from its LOG), the reopen's included\n",
              d.sst.tables, mib(d.sst.table_bytes), times(d.sst.table_bytes), d.sst.compactions,
              mib(d.sst.compaction_bytes));
  std::printf("  data dir                 %.1f MiB after the rounds (%.1f MiB of it WAL), %.1f MiB "
              "after a reopen replayed the WAL into tables\n",
              mib(d.dir_open), mib(d.wal_open), mib(d.dir_flushed));
  for (const auto& [family, t] : d.sst.live)
    std::printf("    %-22s %d table files, %.1f MiB, %lld entries (%.0f B per entry)\n",
                family.c_str(), t.files, mib(t.bytes), static_cast<long long>(t.entries),
                ratio(static_cast<double>(t.bytes), static_cast<double>(t.entries)));
  std::printf("  reopen                   %.2f s (WAL replay and flush), wchar %.1f MiB\n",
              d.reopen_s, mib(d.reopen_io.wchar));
}

/// `in_memory_ms`: thread CPU of one in-memory check of a panel of the same size on the
/// checks' thread, measured right after the loopback checks (the machine's load changes over
/// a long run); `beside_ledger_ms`: the same on the thread whose heap holds the ledger.
inline void print_loopback(const loopback_figures& h, double in_memory_ms, double beside_ledger_ms,
                           int clients, int panels) {
  if (!h.error.empty()) {
    std::printf("real checks over loopback HTTP: %s\n", h.error.c_str());
    return;
  }
  std::printf("real checks over loopback HTTP (fake-xui, %zu clients, %d checks, login kept)\n",
              h.clients, h.checks);
  std::printf("  CPU per check            %.2f ms, wall %.2f ms; in-memory check of a %d-client "
              "answer just after: %.2f ms, so HTTP, the status call and the engine add %.2f ms\n",
              h.cpu_ms_per_check, h.wall_ms_per_check, clients, in_memory_ms,
              h.cpu_ms_per_check - in_memory_ms);
  std::printf("  the same in-memory check %.2f ms on the thread whose heap holds the ledger and "
              "the book\n",
              beside_ledger_ms);
  auto label = std::to_string(panels) + " such panels";
  std::printf("  %-24s %.2f %% of one core at a 30 s interval\n", label.c_str(),
              core_share(h.cpu_ms_per_check * panels / 1e3));
}

} // namespace fleet::bench
