#include "common/link/link_setup.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

using namespace fleet;

namespace {

/// A fresh PKI from scripts/make-certs.sh: a CA, the coordinator and agent "a1".
struct pki {
  std::filesystem::path dir;

  pki() {
    dir = std::filesystem::temp_directory_path()
          / ("fleet-pki-" + std::to_string(std::random_device{}()));
    auto script = std::string{FLEET_SOURCE_DIR} + "/scripts/make-certs.sh";
    auto cmd = script + " " + dir.string() + " a1 >/dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
  ~pki() { std::filesystem::remove_all(dir); }

  [[nodiscard]] std::string file(const char* name) const { return (dir / name).string(); }

  [[nodiscard]] link_settings agent() const {
    link_settings link;
    link.tls = {file("a1.pem"), file("a1.key"), file("ca.pem")};
    return link;
  }
};

} // namespace

TEST_CASE("TLS material is checked before anything listens or connects", "[unit][link]") {
  pki certs;
  CHECK_FALSE(check_link_material(certs.agent()));
  auto with = [&](auto change) {
    auto link = certs.agent();
    change(link.tls);
    return message_of(check_link_material(link));
  };
  CHECK(with([&](link_tls& t) {
          t.cert = certs.file("missing.pem");
        }).rfind("cannot load the certificate " + certs.file("missing.pem"), 0)
        == 0);
  // A key of another certificate, and a key where the certificate belongs.
  CHECK(with([&](link_tls& t) { t.key = certs.file("coordinator.key"); })
        == "the key " + certs.file("coordinator.key") + " does not belong to the certificate "
               + certs.file("a1.pem"));
  CHECK(with([&](link_tls& t) {
          t.cert = certs.file("a1.key");
        }).rfind("cannot load the certificate", 0)
        == 0);
  std::ofstream{certs.file("garbage.pem")} << "not a certificate\n";
  CHECK(with([&](link_tls& t) {
          t.ca = certs.file("garbage.pem");
        }).rfind("cannot load the CA " + certs.file("garbage.pem"), 0)
        == 0);
  link_settings plain;
  plain.plaintext = true;
  CHECK_FALSE(check_link_material(plain));
}

TEST_CASE("this process keeps TLS errors of one link from closing another", "[unit][link]") {
  CHECK(tls_errors_isolated());
}
