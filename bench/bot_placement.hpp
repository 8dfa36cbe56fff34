#pragma once

// What a 3x-ui bot does instead of a fleet: for each client, one addClient call to the
// chosen panel's own API (one client per call), through the same HTTP engine and panel
// client the fleet uses. The baseline of evacuation_bench and provisioning_bench.

#include "bench/closed_loop.hpp"
#include "common/model/server.hpp"
#include "common/panel/panel_client.hpp"
#include "common/random_ids.hpp"

#include <algorithm>
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

/// How the bot picks each client's panel.
enum class bot_choice {
  round_robin,
  /// The panel with the fewest clients by the bot's own counts: read once from every
  /// panel's inbound list before the clock starts, then counted up by each add it sends (the
  /// original ServerManager's least load from cached counts).
  least_load,
};

/// The run (latencies from sending a client's addClient to the panel's answer) and where
/// each client went.
struct bot_figures : loop_figures {
  /// The index in `servers` each client was added to, by client; `not_added` where the
  /// panel refused it or did not answer.
  std::vector<size_t> placed_on;
  static constexpr size_t not_added = static_cast<size_t>(-1);
};

/// Adds `count` new clients (emails `prefix` + number) over `servers`, to each panel's first
/// inbound, one client per call and `in_flight` calls at a time (each caller with a session
/// of its own on every panel). Logins and the inbound lookups happen before the clock
/// starts, `in_flight` at a time; `on_clock(true)` runs when it starts, `on_clock(false)`
/// when it stops.
inline bot_figures bot_adds(const std::vector<server_config>& servers, int count, int in_flight,
                            const std::string& prefix, std::mt19937_64& rng,
                            bot_choice choice = bot_choice::round_robin,
                            const std::function<void(bool)>& on_clock = {}) {
  bot_figures out;
  // Connections per panel as many as calls in flight, as a bot's HTTP client would open.
  http_engine engine{std::max(16, in_flight)};
  auto n = servers.size();
  // callers[w][d]: caller w's session on servers[d].
  std::vector<std::vector<std::unique_ptr<panel_client>>> callers(static_cast<size_t>(in_flight));
  for (auto& row : callers)
    for (const auto& s : servers)
      row.push_back(std::make_unique<panel_client>(
          engine, panel_endpoint::from(s, std::chrono::seconds{30})));
  std::vector<panel_inbound> inbound(n);
  std::vector<size_t> load(n, 0);
  std::mutex mtx;
  auto warm = closed_loop(
      static_cast<int>(callers.size() * n), in_flight, [&](size_t, int item, loop_done done) {
        auto w = static_cast<size_t>(item) / n;
        auto d = static_cast<size_t>(item) % n;
        callers[w][d]->inbounds([&, w, d, done](caf::expected<std::vector<panel_inbound>> list) {
          if (!list || list->empty())
            return done("no inbound on server " + servers[d].id
                        + (list ? std::string{} : ": " + message_of(list.error())));
          if (w == 0) {
            std::lock_guard<std::mutex> guard{mtx};
            inbound[d] = list->front();
            for (const auto& in : *list)
              load[d] += in.clients.size();
          }
          done({});
        });
      });
  if (warm.failures > 0) {
    out.failures = count;
    out.first_error = warm.first_error;
    return out;
  }
  std::vector<client_order> orders(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    auto& o = orders[static_cast<size_t>(i)];
    o.email = prefix + std::to_string(i);
    o.uuid = random_uuid(rng);
    o.sub_id = random_token(rng, 16);
  }
  out.placed_on.assign(static_cast<size_t>(count), 0);
  auto pick = [&](int i) {
    if (choice == bot_choice::round_robin)
      return static_cast<size_t>(i) % n;
    std::lock_guard<std::mutex> guard{mtx};
    auto d = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    ++load[d];
    return d;
  };
  if (on_clock)
    on_clock(true);
  auto run = closed_loop(count, in_flight, [&](size_t w, int i, loop_done done) {
    auto d = pick(i);
    auto k = static_cast<size_t>(i);
    out.placed_on[k] = d;
    callers[w][d]->add_clients(inbound[d].id, inbound[d].protocol, {orders[k]},
                               [&out, k, done](caf::expected<caf::unit_t> r) {
                                 if (!r)
                                   out.placed_on[k] = bot_figures::not_added;
                                 done(r ? std::string{} : message_of(r.error()));
                               });
  });
  if (on_clock)
    on_clock(false);
  static_cast<loop_figures&>(out) = std::move(run);
  return out;
}

} // namespace fleet::bench
