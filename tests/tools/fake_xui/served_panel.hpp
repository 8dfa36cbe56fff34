#pragma once

// One emulated panel served on loopback for the fake-xui tests, with the control port.

#include "tools/fake_xui/fake_server.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>

namespace fleet::fake::test {

/// Panel "p" on base path /secret/, password "pw", API token "tok"; `tune` adjusts the rest.
struct served {
  fake_server server;

  template <class Tune>
  explicit served(api_profile profile, Tune&& tune) {
    panel_options p;
    p.name = "p";
    p.base_path = "/secret/";
    p.profile = profile;
    p.password = "pw";
    p.api_tokens = {"tok"};
    tune(p);
    server.add_panel(p);
    server.set_keep_alive(1);
    REQUIRE(server.start().empty());
  }

  explicit served(api_profile profile) : served(profile, [](panel_options&) {}) {
    // nop
  }

  [[nodiscard]] const panel_options& options() { return server.find("p")->options(); }

  /// A client of the panel's own port.
  httplib::Client client() { return httplib::Client{"127.0.0.1", options().port}; }

  /// A client of the control port.
  httplib::Client control() { return httplib::Client{"127.0.0.1", server.control_port()}; }
};

/// The JSON body of a reply.
inline nlohmann::json body_of(const httplib::Result& r) {
  return nlohmann::json::parse(r->body);
}

} // namespace fleet::fake::test
