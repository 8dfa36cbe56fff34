// Logins to fake panels with two-factor authentication on: the current TOTP code, one retry
// across a step boundary when the clocks disagree, and a clear refusal without the secret.

#include "common/base32.hpp"
#include "common/panel/classify.hpp"
#include "common/panel/panel_client.hpp"
#include "common/panel/totp.hpp"
#include "tests/common/panel/panel_test_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>

using namespace fleet;
using namespace fleet::test;
using std::chrono::seconds;
using std::chrono::system_clock;

namespace {

constexpr const char* secret = "JBSWY3DPEHPK3PXP";

/// A step boundary: 1'800'000'000 is a multiple of 30.
constexpr int64_t boundary = 1'800'000'000;

system_clock::time_point at(int64_t unix_seconds) {
  return system_clock::time_point{seconds{unix_seconds}};
}

/// One fake panel with two-factor authentication on, whose clock a test may set.
struct two_factor_panel {
  fake::fake_server server;
  /// Unix seconds of the panel's clock; 0 = the real clock.
  std::shared_ptr<std::atomic<int64_t>> panel_time = std::make_shared<std::atomic<int64_t>>(0);

  explicit two_factor_panel(fake::api_profile profile) {
    fake::panel_options p;
    p.name = "tfa";
    p.profile = profile;
    p.password = "secret-pw";
    p.two_factor_secret = secret;
    p.clock = [t = panel_time] {
      auto s = t->load();
      return s == 0 ? system_clock::now() : at(s);
    };
    server.add_panel(p);
    server.set_keep_alive(1);
    if (auto err = server.start(); !err.empty())
      throw std::runtime_error(err);
  }

  panel_endpoint endpoint(bool with_secret, int64_t client_time = 0) {
    panel_endpoint ep;
    ep.base_url = "http://127.0.0.1:" + std::to_string(server.find("tfa")->options().port) + "/";
    ep.username = "admin";
    ep.password = "secret-pw";
    if (with_secret)
      ep.two_factor_key = *decode_base32(secret);
    if (client_time != 0)
      ep.clock = [client_time] { return at(client_time); };
    ep.timeout = std::chrono::milliseconds{3000};
    return ep;
  }

  int64_t login_attempts() {
    auto c = server.find("tfa")->counters();
    return c.contains("POST login") ? c["POST login"].get<int64_t>() : 0;
  }
};

} // namespace

TEST_CASE("a two-factor panel is logged in to with the current code", "[integration][panel]") {
  for (auto profile :
       {fake::api_profile::classic, fake::api_profile::classic_csrf, fake::api_profile::gen2}) {
    INFO(static_cast<int>(profile));
    two_factor_panel panel{profile};
    http_engine engine;
    panel_client client{engine, panel.endpoint(true)};
    auto status = await<panel_status>([&](auto done) { client.status(done); });
    INFO((status ? std::string{} : message_of(status.error())));
    REQUIRE(status);
    REQUIRE(await<std::vector<panel_inbound>>([&](auto done) { client.inbounds(done); }));
    CHECK(client.logins() == 1);
    // Near a boundary a first refusal is possible on a slow machine; never more.
    CHECK(panel.login_attempts() <= 2);
  }
}

TEST_CASE("a code refused near a step boundary is tried once with the neighbouring step's",
          "[integration][panel]") {
  two_factor_panel panel{fake::api_profile::classic_csrf};
  http_engine engine;
  SECTION("the panel's clock is ahead, past the boundary") {
    panel.panel_time->store(boundary + 1);
    panel_client client{engine, panel.endpoint(true, boundary - 2)};
    REQUIRE(await<panel_status>([&](auto done) { client.status(done); }));
    CHECK(client.logins() == 1);
    CHECK(panel.login_attempts() == 2);
  }
  SECTION("the panel's clock is behind, before the boundary") {
    panel.panel_time->store(boundary - 1);
    panel_client client{engine, panel.endpoint(true, boundary + 2)};
    REQUIRE(await<panel_status>([&](auto done) { client.status(done); }));
    CHECK(panel.login_attempts() == 2);
  }
  SECTION("mid-step a refused code is not tried again") {
    panel.panel_time->store(boundary + 45);
    panel_client client{engine, panel.endpoint(true, boundary + 15)};
    auto refused = await<panel_status>([&](auto done) { client.status(done); });
    REQUIRE_FALSE(refused);
    CHECK(code_of(refused.error()) == ec::unauthenticated);
    auto text = message_of(refused.error());
    CHECK_THAT(text, Catch::Contains("two_factor_secret") && Catch::Contains("clock"));
    auto key = *decode_base32(secret);
    for (auto t : {boundary + 15, boundary + 45})
      CHECK_THAT(text, !Catch::Contains(totp_code(key, at(t))));
    CHECK_THAT(text, !Catch::Contains("secret-pw") && !Catch::Contains(secret));
    CHECK(panel.login_attempts() == 1);
    CHECK(client.logins() == 0);
  }
}

TEST_CASE("without the secret a two-factor panel is a clear unauthenticated error",
          "[integration][panel]") {
  for (auto profile : {fake::api_profile::classic, fake::api_profile::gen2}) {
    INFO(static_cast<int>(profile));
    two_factor_panel panel{profile};
    http_engine engine;
    panel_client client{engine, panel.endpoint(false)};
    auto refused = await<panel_status>([&](auto done) { client.status(done); });
    REQUIRE_FALSE(refused);
    CHECK(code_of(refused.error()) == ec::unauthenticated);
    CHECK_FALSE(is_retryable(refused.error()));
    CHECK(message_of(refused.error())
          == "log in: the panel has two-factor authentication on and refused a login without a "
             "code; set two_factor_secret for this server");
    CHECK(panel.login_attempts() == 1);
  }
}
