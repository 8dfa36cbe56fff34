#include "common/shadowsocks_key.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

TEST_CASE("shadowsocks key: 2022 methods get base64 keys of their size", "[unit]") {
  const std::string uuid = "b831381d-6324-4d53-ad4f-8cda48b30811";
  auto k128 = shadowsocks_client_password("2022-blake3-aes-128-gcm", uuid);
  auto k256 = shadowsocks_client_password("2022-blake3-aes-256-gcm", uuid);
  CHECK(k128.size() == 24);
  CHECK(k128.substr(22) == "==");
  CHECK(k256.size() == 44);
  CHECK(k256.back() == '=');
  CHECK(shadowsocks_client_password("2022-blake3-chacha20-poly1305", uuid) == k256);
  // Stable, and different for another client.
  CHECK(shadowsocks_client_password("2022-blake3-aes-128-gcm", uuid) == k128);
  CHECK(shadowsocks_client_password("2022-blake3-aes-128-gcm", "other") != k128);
}

TEST_CASE("shadowsocks key: SHA-256 of the uuid, known vector", "[unit]") {
  // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad
  CHECK(shadowsocks_client_password("2022-blake3-aes-256-gcm", "abc")
        == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  CHECK(shadowsocks_client_password("2022-blake3-aes-128-gcm", "abc")
        == "ungWv48Bz+pBQUDeXa4iIw==");
  CHECK(shadowsocks_client_password("aes-256-gcm", "abc") == "ba7816bf8f01cfea414140de5dae2223");
  CHECK(shadowsocks_client_password("chacha20-ietf-poly1305", "abc")
        == "ba7816bf8f01cfea414140de5dae2223");
}

TEST_CASE("shadowsocks key: method classes", "[unit]") {
  CHECK(is_shadowsocks_2022("2022-blake3-aes-128-gcm"));
  CHECK_FALSE(is_shadowsocks_2022("aes-128-gcm"));
  CHECK(shadowsocks_2022_key_size("2022-blake3-aes-128-gcm") == 16);
  CHECK(shadowsocks_2022_key_size("2022-blake3-aes-256-gcm") == 32);
  CHECK(shadowsocks_2022_key_size("aes-256-gcm") == 0);
}
