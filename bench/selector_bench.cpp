// Selection throughput and latency per strategy and fleet size, single thread, no actors.
//
// Every selection is followed by `record_placement` (as a real create does), and every 100
// selections one server gets a fresh load sample (as health checks do), so the ordered
// indexes are exercised the way the coordinator uses them. A naive full scan over the fleet
// (what a straightforward implementation does) runs in the same process as the baseline.

#include "coordinator/selector/selection_engine.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace fleet;
using bench_clock = std::chrono::steady_clock;

namespace {

constexpr int regions = 5;

std::vector<server_config> make_fleet(int n) {
  std::vector<server_config> fleet;
  for (int i = 0; i < n; ++i) {
    server_config s;
    s.id = std::to_string(i + 1);
    s.name = "panel-" + s.id;
    s.host = "127.0.0.1";
    s.port = 2053;
    s.region = "R" + std::to_string(i % regions);
    s.priority = i % 3;
    s.max_clients = 10'000'000;
    s.weight = 1 + i % 4;
    fleet.push_back(std::move(s));
  }
  return fleet;
}

struct figures {
  double per_second = 0;
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
};

figures summarise(std::vector<double>& samples_us, double total_seconds) {
  std::sort(samples_us.begin(), samples_us.end());
  auto at = [&](double q) {
    return samples_us[static_cast<size_t>(q * static_cast<double>(samples_us.size() - 1))];
  };
  return {static_cast<double>(samples_us.size()) / total_seconds, at(0.50), at(0.99),
          samples_us.back()};
}

/// Calls `step(i)` for 1000 warm-up rounds (negative i) and `iterations` measured rounds;
/// `step` returns the latency of its one selection.
template <class Step>
figures measure(int iterations, Step step) {
  std::vector<double> samples;
  samples.reserve(static_cast<size_t>(iterations));
  auto total_start = bench_clock::now();
  for (int i = -1000; i < iterations; ++i) {
    if (i == 0)
      total_start = bench_clock::now();
    auto latency = step(i);
    if (i >= 0)
      samples.push_back(std::chrono::duration<double, std::micro>(latency).count());
  }
  auto total = std::chrono::duration<double>(bench_clock::now() - total_start).count();
  return summarise(samples, total);
}

/// Runs `iterations` selections through the engine and returns the figures.
figures run_engine(int n, const std::string& strategy, const selection_criteria& base,
                   int iterations) {
  selection_settings settings;
  settings.default_strategy = strategy;
  settings.seed = 7;
  settings.load_balance_threshold = 0.8;
  selection_engine engine{make_fleet(n), settings};
  std::mt19937_64 rng{11};
  std::uniform_int_distribution<int64_t> load{0, 5'000'000};
  for (slot_index i = 0; i < engine.view().size(); ++i) {
    engine.view().set_state(i, server_state::healthy);
    engine.view().set_load_sample(i, load(rng));
  }
  std::uniform_int_distribution<slot_index> any_slot{0, static_cast<slot_index>(n - 1)};
  auto criteria = base;
  return measure(iterations, [&](int i) {
    if (!base.region.empty())
      criteria.region = "R" + std::to_string(i & 3);
    auto start = bench_clock::now();
    auto chosen = engine.select(criteria);
    auto stop = bench_clock::now();
    if (!chosen) {
      std::fprintf(stderr, "selection failed: %s\n", message_of(chosen.error()).c_str());
      std::exit(1);
    }
    engine.record_placement(chosen->slot);
    if (i % 100 == 0)
      engine.view().set_load_sample(any_slot(rng), load(rng));
    return stop - start;
  });
}

/// The baseline: a full scan over every server, checking eligibility and keeping the least
/// loaded, as a straightforward implementation without indexes would.
figures run_naive_scan(int n, int iterations) {
  struct row {
    bool healthy;
    int64_t priority;
    int64_t clients;
    int64_t max_clients;
  };
  std::vector<row> rows;
  std::mt19937_64 rng{11};
  std::uniform_int_distribution<int64_t> load{0, 5'000'000};
  for (const auto& s : make_fleet(n))
    rows.push_back({true, s.priority, load(rng), s.max_clients});
  return measure(iterations, [&](int) {
    auto start = bench_clock::now();
    size_t best = rows.size();
    double best_load = 2.0;
    for (size_t j = 0; j < rows.size(); ++j) {
      const auto& r = rows[j];
      auto l = static_cast<double>(r.clients) / static_cast<double>(r.max_clients);
      if (r.healthy && l < 0.8 && l < best_load) {
        best = j;
        best_load = l;
      }
    }
    auto stop = bench_clock::now();
    ++rows[best].clients;
    return stop - start;
  });
}

void print_row(const char* label, int n, const figures& f, double baseline_p50) {
  std::printf("%-34s %7d %14.0f %9.3f %9.3f %9.1f %9.1fx\n", label, n, f.per_second, f.p50_us,
              f.p99_us, f.max_us, baseline_p50 / f.p50_us);
}

} // namespace

int main(int argc, char** argv) {
  int iterations = 100'000;
  if (argc > 2 && std::strcmp(argv[1], "--iterations") == 0)
    iterations = std::max(1000, std::atoi(argv[2]));
  std::printf("selection benchmark: %d selections per row, each followed by a placement; "
              "latency per call in microseconds\n",
              iterations);
  std::printf("%-34s %7s %14s %9s %9s %9s %10s\n", "strategy", "servers", "selections/s", "p50_us",
              "p99_us", "max_us", "vs_scan");
  selection_criteria plain;
  plain.user_id = "12345";
  selection_criteria regional = plain;
  regional.region = "R0";
  selection_criteria constrained = plain;
  constrained.max_load = 0.7;
  constrained.exclude_ids = {"1", "2", "3"};
  constrained.min_priority = 1;
  constrained.preferred_id = "4";
  int worst_fail = 0;
  for (int n : {10, 100, 1'000, 10'000}) {
    auto scan = run_naive_scan(n, iterations);
    print_row("naive full scan (baseline)", n, scan, scan.p50_us);
    struct row_spec {
      const char* label;
      const char* strategy;
      const selection_criteria* criteria;
    };
    for (const auto& spec :
         {row_spec{"least_load", "least_load", &plain},
          row_spec{"least_load +max_load,excl,min_prio", "least_load", &constrained},
          row_spec{"round_robin", "round_robin", &plain}, row_spec{"random", "random", &plain},
          row_spec{"geographic (region rotating)", "geographic", &regional},
          row_spec{"priority", "priority", &plain}}) {
      auto f = run_engine(n, spec.strategy, *spec.criteria, iterations);
      print_row(spec.label, n, f, scan.p50_us);
      if (n == 10'000 && f.p99_us > 10.0)
        ++worst_fail;
    }
  }
  std::printf("target p99 <= 10 us at 10000 servers for every strategy: %s\n",
              worst_fail == 0 ? "met" : "MISSED");
  return 0;
}
