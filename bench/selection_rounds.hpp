#pragma once

// Measures what a running coordinator does for its callers: waits until its fleet is healthy,
// then times selections through the coordinator actor, one round trip at a time and
// pipelined.

#include "bench/percentile.hpp"
#include "coordinator/coordinator_messages.hpp"
#include "coordinator/runtime.hpp"

#include <caf/scoped_actor.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace fleet::bench {

/// Waits up to 30 s until `n` servers are healthy; prints progress to stderr.
inline bool wait_healthy(runtime& rt, size_t n) {
  using namespace std::chrono_literals;
  caf::scoped_actor self{rt.system()};
  for (int i = 0; i < 600; ++i) {
    size_t healthy = 0;
    self->request(rt.coordinator(), caf::infinite, fleet_atom_v)
        .receive(
            [&](const std::vector<server_health>& list) {
              for (const auto& h : list)
                healthy += h.state == server_state::healthy ? 1 : 0;
            },
            [](caf::error& e) {
              std::fprintf(stderr, "  fleet request failed: %s\n", message_of(e).c_str());
            });
    if (healthy == n)
      return true;
    if (i % 20 == 0)
      std::fprintf(stderr, "  waiting: %zu of %zu panels healthy\n", healthy, n);
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

struct selection_figures {
  double sequential_per_s = 0;
  double p50_us = 0;
  double p99_us = 0;
  double pipelined_per_s = 0;
  int failures = 0;
};

/// Times `selections` selections one round trip at a time, then as many pipelined.
inline selection_figures measure_selections(runtime& rt, int selections) {
  using bench_clock = std::chrono::steady_clock;
  caf::scoped_actor self{rt.system()};
  selection_criteria criteria;
  criteria.user_id = "12345";
  selection_figures out;
  std::vector<double> latencies;
  auto t0 = bench_clock::now();
  for (int i = 0; i < selections; ++i) {
    auto start = bench_clock::now();
    // No request timeout: in CAF 0.17 every timeout leaves a message behind in a blocking
    // actor's mailbox, which makes long request loops slower and slower.
    self->request(rt.coordinator(), caf::infinite, select_atom_v, criteria)
        .receive([](const selection&) {}, [&](caf::error&) { ++out.failures; });
    latencies.push_back(
        std::chrono::duration<double, std::micro>(bench_clock::now() - start).count());
  }
  out.sequential_per_s
      = selections / std::chrono::duration<double>(bench_clock::now() - t0).count();
  // Pipelined: many callers at once, as behind an HTTP server.
  auto t1 = bench_clock::now();
  for (int i = 0; i < selections; ++i)
    self->send(rt.coordinator(), select_atom_v, criteria);
  for (int i = 0; i < selections; ++i)
    self->receive([](const selection&) {}, [&](caf::error&) { ++out.failures; });
  out.pipelined_per_s = selections / std::chrono::duration<double>(bench_clock::now() - t1).count();
  std::sort(latencies.begin(), latencies.end());
  out.p50_us = percentile(latencies, 0.5);
  out.p99_us = percentile(latencies, 0.99);
  return out;
}

} // namespace fleet::bench
