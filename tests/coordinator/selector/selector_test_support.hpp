#pragma once

#include "coordinator/selector/selection_engine.hpp"

#include <map>
#include <string>
#include <vector>

namespace fleet::test {

/// A server of a test fleet; every server gets credentials so it is a valid config.
inline server_config server(std::string id, std::string region = "", int64_t priority = 0,
                            int64_t max_clients = 100, int64_t weight = 1) {
  server_config s;
  s.id = id;
  s.name = "panel-" + id;
  s.host = "127.0.0.1";
  s.port = 2053;
  s.username = "admin";
  s.password = "pw";
  s.region = std::move(region);
  s.priority = priority;
  s.max_clients = max_clients;
  s.weight = weight;
  return s;
}

/// `n` equal servers with ids "1".."n".
inline std::vector<server_config> equal_servers(int n, int64_t max_clients = 1000) {
  std::vector<server_config> result;
  for (int i = 1; i <= n; ++i)
    result.push_back(server(std::to_string(i), "", 0, max_clients));
  return result;
}

/// An engine over `servers`, all of them healthy, with `strategy` as default.
inline selection_engine healthy_engine(const std::vector<server_config>& servers,
                                       const std::string& strategy = "least_load",
                                       uint64_t seed = 1) {
  selection_settings settings;
  settings.default_strategy = strategy;
  settings.seed = seed;
  selection_engine engine{servers, settings};
  for (slot_index i = 0; i < engine.view().size(); ++i)
    engine.view().set_state(i, server_state::healthy);
  return engine;
}

/// Selects `n` times with `criteria`, recording each placement; returns picks per server id.
inline std::map<std::string, int> place(selection_engine& engine, int n,
                                        const selection_criteria& criteria = {}) {
  std::map<std::string, int> counts;
  for (int i = 0; i < n; ++i) {
    auto chosen = engine.select(criteria);
    if (!chosen)
      break;
    engine.record_placement(chosen->slot);
    ++counts[chosen->server_id];
  }
  return counts;
}

/// Returns the id the engine selects, or the error code name when it fails.
inline std::string pick(selection_engine& engine, const selection_criteria& criteria = {}) {
  auto chosen = engine.select(criteria);
  return chosen ? chosen->server_id : "error:" + to_string(code_of(chosen.error()));
}

} // namespace fleet::test
