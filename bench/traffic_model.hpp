#pragma once

// The traffic ledger_bench injects: every panel's clients with their counters, grown round
// by round from a hash of (round, panel, client), so that every run injects the same bytes.

#include "bench/inbound_texts.hpp"
#include "coordinator/ledger/traffic_ledger.hpp"

#include <cstdint>
#include <vector>

namespace fleet::bench {

/// Every panel's clients and their counters, and what the bench injected.
struct fleet_model {
  int panels = 0;
  int clients = 0;
  /// Every client's quota and expiry, as the book and the panels hold them.
  int64_t total_bytes = 0;
  int64_t expiry_ms = 0;
  int64_t created_ms = 0;
  /// counters[p - 1][i]: client i of panel p.
  std::vector<std::vector<byte_counts>> counters;
  /// Bytes the counters grew by, per panel (first sight: the whole counter).
  std::vector<byte_counts> injected;

  /// Counters seen for the first time: gigabytes already, as on a panel that has run a while.
  void first_sight() {
    counters.assign(static_cast<size_t>(panels),
                    std::vector<byte_counts>(static_cast<size_t>(clients)));
    injected.assign(static_cast<size_t>(panels), byte_counts{});
    grow(0, 1, [](uint64_t h) {
      return byte_counts{static_cast<int64_t>(h % (4ULL << 30)) + 1,
                         static_cast<int64_t>((h >> 20) % (40ULL << 30)) + 1};
    });
  }

  /// Grows the counters of one client in `every` (which ones changes with `round`) by up to
  /// ~10 MiB, far below what a link carries in 30 s; returns the clients grown.
  int64_t grow_some(int round, int every) {
    return grow(round, every, [](uint64_t h) {
      return byte_counts{static_cast<int64_t>(h % (1 << 20)) + 1,
                         static_cast<int64_t>((h >> 24) % (10 << 20)) + 1};
    });
  }

  template <class Delta>
  int64_t grow(int round, int every, Delta delta) {
    int64_t grown = 0;
    for (int p = 0; p < panels; ++p)
      for (int i = 0; i < clients; ++i) {
        if ((i + round) % every != 0)
          continue;
        auto h = mix(mix(static_cast<uint64_t>(round)) ^ (static_cast<uint64_t>(p) << 32)
                     ^ static_cast<uint64_t>(i));
        auto d = delta(h);
        auto& c = counters[static_cast<size_t>(p)][static_cast<size_t>(i)];
        auto& total = injected[static_cast<size_t>(p)];
        c.up += d.up;
        c.down += d.down;
        total.up += d.up;
        total.down += d.down;
        ++grown;
      }
    return grown;
  }

  [[nodiscard]] panel_contents contents(int p) const {
    return {p, total_bytes, expiry_ms, created_ms, &counters[static_cast<size_t>(p - 1)]};
  }
};

} // namespace fleet::bench
