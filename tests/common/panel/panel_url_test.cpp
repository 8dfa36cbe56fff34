// Panel URLs: IPv6 literals in brackets, whichever way the config wrote them.

#include "common/panel/panel_url.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

TEST_CASE("hosts go into URLs with IPv6 literals bracketed", "[unit][panel]") {
  CHECK(url_host("::1") == "[::1]");
  CHECK(url_host("[::1]") == "[::1]");
  CHECK(url_host("2001:db8::10") == "[2001:db8::10]");
  CHECK(url_host("fe80::1%eth0") == "[fe80::1%25eth0]");
  CHECK(url_host("[fe80::1%25eth0]") == "[fe80::1%25eth0]");
  CHECK(url_host("127.0.0.1") == "127.0.0.1");
  CHECK(url_host("panel.example") == "panel.example");
}

TEST_CASE("a panel's base URL", "[unit][panel]") {
  server_config s;
  s.host = "::1";
  s.port = 2053;
  s.base_path = "/AbCdEf/";
  CHECK(panel_base_url(s) == "http://[::1]:2053/AbCdEf/");
  s.host = "[::1]";
  CHECK(panel_base_url(s) == "http://[::1]:2053/AbCdEf/");
  s.host = "vpn.example.com";
  s.scheme = panel_scheme::https;
  s.base_path = "/";
  CHECK(panel_base_url(s) == "https://vpn.example.com:2053/");
}

TEST_CASE("url_encode keeps only unreserved characters", "[unit][panel]") {
  CHECK(url_encode("a-b_c.d~e") == "a-b_c.d~e");
  CHECK(url_encode("a b/c@d") == "a%20b%2Fc%40d");
}
