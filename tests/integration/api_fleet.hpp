#pragma once

// A running fleet with the HTTP API on a free port, and the requests tests send it.

#include "coordinator/api/http_api.hpp"
#include "tests/integration/running_fleet.hpp"

#include <httplib.h>

namespace fleet::test {

using json = nlohmann::json;

inline constexpr const char* token = "test-token-0123456789";

/// A running fleet with the HTTP API on a free port.
struct api_fleet {
  test::temp_dir dir;
  running_fleet fleet;
  std::unique_ptr<http_api> api;

  explicit api_fleet(std::function<void(fleet_config&)> adjust = {})
      : fleet{dir.str(), [adjust](fleet_config& c) {
                c.coordinator.listen = "127.0.0.1:0";
                c.coordinator.api_tokens = {std::string{token}};
                c.management.max_retries = 1;
                c.management.retry_delay = 50ms;
                if (adjust)
                  adjust(c);
              }} {
    start_api();
    for (const auto* id : {"a", "b", "c"})
      REQUIRE(fleet.wait_for_state(id, server_state::healthy, 5s) >= 0ms);
  }

  void start_api() {
    api = std::make_unique<http_api>(fleet.config, *fleet.sys, fleet.coord, fleet.db,
                                     fleet.rt->events());
    api->show_notifications(fleet.rt->notifications());
    REQUIRE_FALSE(api->start());
  }

  /// Restarts the coordinator and the API on the same data dir.
  void restart() {
    api.reset();
    fleet.stop();
    fleet.start(dir.str());
    start_api();
  }

  ~api_fleet() { api.reset(); }

  httplib::Client client(bool with_token = true) const {
    httplib::Client c{"127.0.0.1", api->port()};
    c.set_read_timeout(30, 0);
    if (with_token)
      c.set_bearer_token_auth(token);
    return c;
  }
};

/// Status and parsed body of an answer (body null when empty or not JSON).
struct answer {
  int status = 0;
  json body;
  std::string text;
};

inline answer to_answer(const httplib::Result& r) {
  REQUIRE(r);
  answer a;
  a.status = r->status;
  a.text = r->body;
  a.body = json::parse(r->body, nullptr, false);
  if (a.body.is_discarded())
    a.body = nullptr;
  return a;
}

inline answer get(const api_fleet& f, const std::string& path) {
  return to_answer(f.client().Get(path.c_str()));
}

inline answer post(const api_fleet& f, const std::string& path, const std::string& body,
                   const httplib::Headers& headers = {}) {
  return to_answer(f.client().Post(path.c_str(), headers, body, "application/json"));
}

inline answer patch(const api_fleet& f, const std::string& path, const std::string& body) {
  return to_answer(f.client().Patch(path.c_str(), body, "application/json"));
}

inline answer del(const api_fleet& f, const std::string& path) {
  return to_answer(f.client().Delete(path.c_str()));
}

inline std::string code_of(const answer& a) {
  return a.body.is_object() && a.body.contains("error") ? a.body["error"].value("code", "") : "";
}

inline std::string message_of(const answer& a) {
  return a.body.is_object() && a.body.contains("error") ? a.body["error"].value("message", "") : "";
}

inline size_t recorded_clients(api_fleet& f) {
  auto all = f.fleet.db->clients();
  REQUIRE(all);
  return all->size();
}

} // namespace fleet::test
