#pragma once

// Real health checks over loopback HTTP against one fake-xui panel holding `clients` clients
// (placed in one addClient call, as the coordinator batches them): the CPU one check costs
// this process (HTTP engine, login kept, server status and the inbound list, parsed and
// summarised), next to which the bench sets its in-memory checks to show the HTTP share.

#include "bench/fake_panels.hpp"
#include "bench/io_stats.hpp"
#include "common/panel/panel_check.hpp"

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

namespace fleet::bench {

struct loopback_figures {
  /// Empty when the checks ran.
  std::string error;
  int checks = 0;
  /// Clients the checks read (the panel's seed clients included).
  size_t clients = 0;
  double cpu_ms_per_check = 0;
  double wall_ms_per_check = 0;
};

inline loopback_figures loopback_checks(const std::string& fake_binary, int clients, int checks) {
  loopback_figures out;
  fake_panels fake{fake_binary, 1, "--password pw"};
  if (!fake.ok()) {
    out.error = "fake-xui did not start";
    return out;
  }
  http_engine engine{2};
  auto panel = std::make_shared<panel_client>(
      engine, panel_endpoint::from(fake.servers("pw").front(), std::chrono::seconds{10}));
  std::promise<caf::expected<std::vector<panel_inbound>>> listed;
  panel->inbounds(
      [&listed](caf::expected<std::vector<panel_inbound>> r) { listed.set_value(std::move(r)); });
  auto list = listed.get_future().get();
  if (!list || list->empty() || list->front().protocol != "vless") {
    out.error = list ? "the fake panel has no vless inbound first" : message_of(list.error());
    return out;
  }
  std::vector<client_order> orders;
  for (int i = 0; i < clients; ++i)
    orders.push_back(client_order{"http-u" + std::to_string(i),
                                  "00000000-0000-4000-8000-" + std::to_string(100'000'000'000 + i),
                                  "sub" + std::to_string(i), 0, 0, true, "xtls-rprx-vision"});
  std::promise<caf::expected<caf::unit_t>> added;
  panel->add_clients(list->front().id, "vless", std::move(orders),
                     [&added](caf::expected<caf::unit_t> r) { added.set_value(std::move(r)); });
  if (auto r = added.get_future().get(); !r) {
    out.error = message_of(r.error());
    return out;
  }
  auto check = [&panel] {
    std::promise<health_report> p;
    run_check(panel, [&p](health_report r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  };
  check(); // warm-up: logs in and learns the API generation
  auto cpu0 = process_cpu();
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < checks; ++i) {
    auto r = check();
    if (r.verdict != check_verdict::passed) {
      out.error = "a check did not pass: " + r.last_error;
      return out;
    }
    out.clients = r.counters.size();
  }
  auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.checks = checks;
  out.cpu_ms_per_check = (process_cpu() - cpu0) * 1000.0 / checks;
  out.wall_ms_per_check = wall * 1000.0 / checks;
  return out;
}

} // namespace fleet::bench
