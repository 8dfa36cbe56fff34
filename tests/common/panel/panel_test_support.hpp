#pragma once

#include "common/panel/panel_client.hpp"
#include "tools/fake_xui/fake_server.hpp"

#include <chrono>
#include <future>
#include <memory>
#include <string>

namespace fleet::test {

/// Runs one asynchronous panel-client call and waits for its result (at most 20 s).
template <class T, class Start>
caf::expected<T> await(Start start) {
  auto promise = std::make_shared<std::promise<caf::expected<T>>>();
  auto future = promise->get_future();
  start([promise](caf::expected<T> result) { promise->set_value(std::move(result)); });
  if (future.wait_for(std::chrono::seconds{20}) != std::future_status::ready)
    return make_error(ec::internal, "no answer within 20 s");
  return future.get();
}

/// Fake panels of every profile on loopback: "classic", "csrf" and "gen2" each on a port of
/// their own, plus "shared-a" and "shared-b" on one port under different base paths.
struct fake_fleet {
  fake::fake_server server;

  fake_fleet() {
    using fake::api_profile;
    auto add = [&](const char* name, api_profile profile, const char* base, uint16_t port = 0) {
      fake::panel_options p;
      p.name = name;
      p.profile = profile;
      p.base_path = base;
      p.port = port;
      p.username = "admin";
      p.password = "secret-pw";
      p.api_tokens = {"token-" + std::string{name}};
      server.add_panel(p);
    };
    add("classic", api_profile::classic, "/");
    add("csrf", api_profile::classic_csrf, "/xyzBasePath/");
    add("gen2", api_profile::gen2, "/g2/");
    server.set_keep_alive(1);
    auto err = server.start();
    if (!err.empty())
      throw std::runtime_error(err);
  }

  panel_endpoint endpoint(const std::string& name, bool with_token = false,
                          std::chrono::milliseconds timeout = std::chrono::milliseconds{3000}) {
    auto* p = server.find(name);
    panel_endpoint ep;
    ep.base_url = "http://127.0.0.1:" + std::to_string(p->options().port) + p->options().base_path;
    ep.username = "admin";
    ep.password = "secret-pw";
    if (with_token)
      ep.api_token = "token-" + name;
    ep.timeout = timeout;
    return ep;
  }

  int64_t counter(const std::string& panel, const std::string& route) {
    auto c = server.find(panel)->counters();
    return c.contains(route) ? c[route].get<int64_t>() : 0;
  }
};

} // namespace fleet::test
