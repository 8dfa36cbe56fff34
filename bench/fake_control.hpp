#pragma once

// fake-xui's control API as a benchmark uses it: fault modes, request counters per route,
// client counts and emails per panel, over an HTTP engine of its own.

#include "bench/blocking_call.hpp"
#include "common/panel/http_engine.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <future>
#include <map>
#include <string>
#include <vector>

namespace fleet::bench {

/// Request counters of one panel by route ("POST panel/api/inbounds/addClient", ...).
using route_counts = std::map<std::string, int64_t>;

/// Blocking calls to the control API at `url` ("http://127.0.0.1:P"). Not thread-safe.
class fake_control {
public:
  explicit fake_control(std::string url) : url_(std::move(url)) {
    session_ = engine_.open_session();
  }

  /// Sets the fault of panel `name`: none, down, slow (answers after `delay_ms`), ... A panel
  /// that was down listens again. Returns false when fake-xui refused it.
  bool set_fault(const std::string& name, const std::string& mode, int64_t delay_ms = 0) {
    nlohmann::json body{{"mode", mode}, {"delay_ms", delay_ms}};
    return call("POST", "/_fake/panels/" + name + "/fault", body.dump()).status == 200;
  }

  /// Requests panel `name` has served so far, by route; empty when it cannot be read.
  route_counts counters(const std::string& name) {
    route_counts out;
    auto body = nlohmann::json::parse(call("GET", "/_fake/panels/" + name + "/counters").body,
                                      nullptr, false);
    if (body.is_object())
      for (const auto& [key, n] : body.items())
        out[key] = n.is_number() ? n.get<int64_t>() : 0;
    return out;
  }

  /// Clients on each panel, by panel name.
  std::map<std::string, int64_t> client_counts() {
    std::map<std::string, int64_t> out;
    auto body = nlohmann::json::parse(call("GET", "/_fake/panels").body, nullptr, false);
    if (body.is_object())
      for (const auto& p : body.value("panels", nlohmann::json::array()))
        out[p.value("name", "")] = p.value("clients", int64_t{0});
    return out;
  }

  /// Emails of the clients on panel `name`, over all its inbounds (a client listed twice
  /// appears twice).
  std::vector<std::string> emails(const std::string& name) {
    std::vector<std::string> out;
    auto body = nlohmann::json::parse(call("GET", "/_fake/panels/" + name + "/clients").body,
                                      nullptr, false);
    if (body.is_object())
      for (const auto& [inbound, list] : body.items())
        for (const auto& email : list)
          if (email.is_string())
            out.push_back(email.get<std::string>());
    return out;
  }

private:
  http_response call(const std::string& method, const std::string& path, std::string body = {}) {
    return blocking_call(engine_, session_, method, url_ + path, std::move(body));
  }

  std::string url_;
  http_engine engine_{2};
  http_engine::session_id session_ = 0;
};

/// `after - before` for every route, keeping only routes that changed.
inline route_counts counted_between(const route_counts& before, const route_counts& after) {
  route_counts out;
  for (const auto& [key, n] : after) {
    auto b = before.find(key);
    auto d = n - (b == before.end() ? 0 : b->second);
    if (d != 0)
      out[key] = d;
  }
  return out;
}

} // namespace fleet::bench
