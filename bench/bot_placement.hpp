#pragma once

// What a 3x-ui bot does instead of a fleet's evacuation: for each client, one addClient call
// to the destination panel's own API (one client per call), through the same HTTP engine and
// panel client the fleet uses. The baseline of evacuation_bench.

#include "common/model/server.hpp"
#include "common/panel/panel_client.hpp"
#include "common/random_ids.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace fleet::bench {

struct bot_figures {
  double seconds = 0;
  int failures = 0;
  std::string first_error;
};

/// Adds `count` new clients (emails `prefix` + number) round robin over `servers`, to each
/// panel's first inbound, one client per call and `in_flight` calls at a time (each caller
/// with a session of its own on every panel). Logins and the inbound lookup happen before
/// the clock starts.
inline bot_figures bot_adds(const std::vector<server_config>& servers, int count, int in_flight,
                            const std::string& prefix, std::mt19937_64& rng) {
  using bench_clock = std::chrono::steady_clock;
  bot_figures out;
  http_engine engine{16};
  // callers[w][d]: caller w's session on servers[d].
  std::vector<std::vector<std::unique_ptr<panel_client>>> callers(static_cast<size_t>(in_flight));
  for (auto& row : callers)
    for (const auto& s : servers)
      row.push_back(std::make_unique<panel_client>(
          engine, panel_endpoint::from(s, std::chrono::seconds{10})));
  std::vector<panel_inbound> inbound(servers.size());
  for (size_t w = 0; w < callers.size(); ++w)
    for (size_t d = 0; d < servers.size(); ++d) {
      std::promise<caf::expected<std::vector<panel_inbound>>> listed;
      callers[w][d]->inbounds([&listed](caf::expected<std::vector<panel_inbound>> r) {
        listed.set_value(std::move(r));
      });
      auto list = listed.get_future().get();
      if (!list || list->empty()) {
        out.failures = count;
        out.first_error = "no inbound on server " + servers[d].id;
        return out;
      }
      inbound[d] = list->front();
    }
  std::vector<client_order> orders(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    auto& o = orders[static_cast<size_t>(i)];
    o.email = prefix + std::to_string(i);
    o.uuid = random_uuid(rng);
    o.sub_id = random_token(rng, 16);
  }
  std::atomic<int> next{0};
  std::atomic<int> callers_left{in_flight};
  std::mutex mtx;
  std::promise<void> all;
  // Each caller takes the next client when its call has returned, on the engine's thread.
  std::vector<std::function<void()>> step(callers.size());
  for (size_t w = 0; w < callers.size(); ++w)
    step[w] = [&, w] {
      auto i = next++;
      if (i >= count) {
        if (--callers_left == 0)
          all.set_value();
        return;
      }
      auto d = static_cast<size_t>(i) % servers.size();
      callers[w][d]->add_clients(inbound[d].id, inbound[d].protocol,
                                 {orders[static_cast<size_t>(i)]},
                                 [&, w](caf::expected<caf::unit_t> r) {
                                   if (!r) {
                                     std::lock_guard<std::mutex> guard{mtx};
                                     if (out.failures++ == 0)
                                       out.first_error = message_of(r.error());
                                   }
                                   step[w]();
                                 });
    };
  auto t0 = bench_clock::now();
  for (auto& s : step)
    s();
  all.get_future().wait();
  out.seconds = std::chrono::duration<double>(bench_clock::now() - t0).count();
  return out;
}

} // namespace fleet::bench
