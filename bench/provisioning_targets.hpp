#pragma once

// The targets of issue 15 next to what provisioning_bench measured: met, or missed by how
// much. A target whose rows were not part of the run says so.

#include "bench/provisioning_rows.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <tuple>

namespace fleet::bench {

/// The load generator's ceiling and selections at one number of requests in flight.
struct ceiling {
  double healthz_per_s = 0;
  /// Through the in-bench client, and through wrk (0 without it).
  double select_per_s = 0;
  double wrk_select_per_s = 0;

  /// The higher of the two: the coordinator's selections, whichever client limits less.
  [[nodiscard]] double best_select() const { return std::max(select_per_s, wrk_select_per_s); }
};

struct row_pair {
  row_figures baseline;
  row_figures fleet;
};

/// Everything a run measured: ceilings by requests in flight (at the first latency), rows
/// by (panel mode, latency, requests in flight).
struct results {
  std::map<int, ceiling> ceilings;
  int ceiling_latency = 0;
  std::map<std::tuple<std::string, int, int>, row_pair> rows;

  [[nodiscard]] const row_pair* find(const std::string& mode, int latency, int in_flight) const {
    auto i = rows.find({mode, latency, in_flight});
    return i == rows.end() ? nullptr : &i->second;
  }
};

namespace detail {

inline void verdict(const char* target, const std::string& measured, bool met,
                    const std::string& shortfall) {
  std::printf("  %-60s %-40s %s\n", target, measured.c_str(),
              met ? "met" : ("missed: " + shortfall).c_str());
}

inline void not_measured(const char* target) {
  std::printf("  %-60s %s\n", target, "not measured in this run");
}

inline double ratio(const row_pair& p) {
  auto b = p.baseline.users_per_s();
  return b > 0 ? p.fleet.users_per_s() / b : 0;
}

inline void ratio_target(const results& all, int in_flight, double want, const char* target) {
  const auto* p = all.find("serialised", 50, in_flight);
  if (p == nullptr)
    return not_measured(target);
  auto r = ratio(*p);
  verdict(target,
          fixed(r, 2) + "x (" + fixed(p->fleet.users_per_s(), 0) + " vs "
              + fixed(p->baseline.users_per_s(), 0) + " users/s)",
          r >= want, fixed(r > 0 ? want / r : 0, 1) + "x short");
}

} // namespace detail

inline void print_targets(const results& all) {
  using detail::not_measured;
  using detail::verdict;
  std::printf("\ntargets (issue 15; serialised panels unless said otherwise; selects/s: the "
              "higher of the in-bench client and wrk)\n");
  detail::ratio_target(all, 256, 10.0, "50 ms, 256 in flight: xui-fleet >= 10x the baseline");
  if (const auto* p = all.find("serialised", 50, 4)) {
    // The panel's round trip: one addClient as the baseline sees it at the same latency.
    auto rtt = p->baseline.p50_ms;
    auto limit = 1.2 * rtt + 5;
    verdict("50 ms, 4 in flight: p50 <= 1.2 x panel round trip + 5 ms",
            "p50 " + fixed(p->fleet.p50_ms, 1) + " ms vs " + fixed(limit, 1) + " ms (trip "
                + fixed(rtt, 1) + ")",
            p->fleet.p50_ms <= limit, fixed(p->fleet.p50_ms - limit, 1) + " ms over");
  } else {
    not_measured("50 ms, 4 in flight: p50 <= 1.2 x panel round trip + 5 ms");
  }
  detail::ratio_target(all, 32, 1.0, "50 ms, 32 in flight: xui-fleet >= 1x the baseline");
  for (const auto& [in_flight, c] : all.ceilings) {
    const auto* p = all.find("serialised", 0, in_flight);
    if (p == nullptr || all.ceiling_latency != 0 || c.best_select() <= 0)
      continue;
    auto r = p->fleet.users_per_s() / c.best_select();
    auto target = "0 ms, " + std::to_string(in_flight) + " in flight: creates/s >= 0.5x selects/s";
    verdict(target.c_str(),
            fixed(r, 2) + "x (" + fixed(p->fleet.users_per_s(), 0) + " vs "
                + fixed(c.best_select(), 0) + " /s)",
            r >= 0.5, fixed(r > 0 ? 0.5 / r : 0, 1) + "x short");
  }
  const row_pair* burst = nullptr;
  int burst_in_flight = 0;
  for (const auto& [key, p] : all.rows)
    if (std::get<0>(key) == "serialised" && std::get<1>(key) == 0
        && std::get<2>(key) > burst_in_flight) {
      burst = &p;
      burst_in_flight = std::get<2>(key);
    }
  if (burst != nullptr) {
    auto cpu = burst->fleet.cpu_us_per_create;
    auto target = "0 ms, " + std::to_string(burst_in_flight)
                  + " in flight: coordinator CPU <= 50 us per create";
    verdict(target.c_str(), fixed(cpu, 0) + " us", cpu <= 50, fixed(cpu / 50, 1) + "x the budget");
  }
  int rows = 0;
  int lost = 0;
  int duplicated = 0;
  int bot_lost = 0;
  for (const auto& [key, p] : all.rows)
    if (std::get<0>(key) == "no-lock") {
      ++rows;
      lost += p.fleet.lost;
      duplicated += p.fleet.duplicated;
      bot_lost += p.baseline.lost;
    }
  if (rows > 0)
    verdict("no-lock panels: xui-fleet loses and duplicates 0, every row",
            std::to_string(lost) + " lost, " + std::to_string(duplicated) + " dup (bot lost "
                + std::to_string(bot_lost) + ")",
            lost == 0 && duplicated == 0, std::to_string(lost + duplicated) + " clients wrong");
  std::fflush(stdout);
}

} // namespace fleet::bench
