// HTTPS towards panels: a private CA, a pinned public key, and refusals of both when wrong.

#include "common/panel/panel_client.hpp"
#include "tests/common/panel/panel_test_support.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace fleet;
using namespace fleet::test;

namespace {

/// A CA and a certificate for 127.0.0.1 made with the openssl CLI, plus the key's pin.
struct test_pki {
  std::filesystem::path dir;
  std::string pin;

  test_pki() {
    dir = std::filesystem::temp_directory_path() / ("fleet-pki-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto d = dir.string();
    auto script = "cd '" + d
                  + "' && "
                    "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
                    "-subj /CN=test-ca 2>/dev/null && "
                    "openssl req -newkey rsa:2048 -nodes -keyout panel.key -out panel.csr "
                    "-subj /CN=127.0.0.1 2>/dev/null && "
                    "printf 'subjectAltName=IP:127.0.0.1\\n' > ext.cnf && "
                    "openssl x509 -req -in panel.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
                    "-out panel.pem -days 2 -extfile ext.cnf 2>/dev/null && "
                    "openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem "
                    "-days 2 -subj /CN=other 2>/dev/null && "
                    "openssl x509 -in panel.pem -pubkey -noout | openssl pkey -pubin -outform der "
                    "| openssl dgst -sha256 -binary | openssl enc -base64 > pin.txt";
    REQUIRE(std::system(script.c_str()) == 0);
    std::ifstream in{dir / "pin.txt"};
    std::getline(in, pin);
    pin = "sha256//" + pin;
  }

  ~test_pki() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  std::string file(const char* name) const { return (dir / name).string(); }
};

} // namespace

TEST_CASE("panels are reached over HTTPS with a private CA or a key pin", "[integration][panel]") {
  test_pki pki;
  fake::fake_server server;
  fake::panel_options p;
  p.name = "tls";
  p.profile = fake::api_profile::gen2;
  p.api_tokens = {"tok"};
  p.tls_cert = pki.file("panel.pem");
  p.tls_key = pki.file("panel.key");
  server.add_panel(p);
  server.set_keep_alive(1);
  REQUIRE(server.start().empty());
  http_engine engine;
  auto endpoint = [&](http_tls tls) {
    panel_endpoint ep;
    ep.base_url = "https://127.0.0.1:" + std::to_string(server.find("tls")->options().port) + "/";
    ep.api_token = "tok";
    ep.tls = std::move(tls);
    ep.timeout = std::chrono::milliseconds{3000};
    return ep;
  };
  auto status_with = [&](http_tls tls) {
    panel_client client{engine, endpoint(std::move(tls))};
    return await<panel_status>([&](auto done) { client.status(done); });
  };

  CHECK(status_with({pki.file("ca.pem"), "", false}));
  CHECK(status_with({"", pki.pin, true}));
  CHECK(status_with({pki.file("ca.pem"), pki.pin, false}));

  auto untrusted = status_with({});
  REQUIRE_FALSE(untrusted);
  CHECK(code_of(untrusted.error()) == ec::panel_unreachable);
  auto other_ca = status_with({pki.file("other.pem"), "", false});
  REQUIRE_FALSE(other_ca);
  CHECK(code_of(other_ca.error()) == ec::panel_unreachable);
  auto wrong_pin = status_with({"", "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", true});
  REQUIRE_FALSE(wrong_pin);
  CHECK(code_of(wrong_pin.error()) == ec::panel_unreachable);
  // Skipping verification without a pin is never done, even if asked.
  auto no_pin = status_with({"", "", true});
  REQUIRE_FALSE(no_pin);
  CHECK(code_of(no_pin.error()) == ec::panel_unreachable);
}
