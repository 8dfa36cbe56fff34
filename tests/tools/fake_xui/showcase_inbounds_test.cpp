// The showcase inbound set and adding inbounds (fake_panel::seed_showcase, add_inbound).

#include "tools/fake_xui/fake_panel.hpp"

#include <catch2/catch.hpp>

using namespace fleet::fake;
using nlohmann::json;

namespace {

json stream_of(const inbound& in) {
  return json::parse(in.stream_settings);
}

} // namespace

TEST_CASE("showcase panels start with a vless REALITY inbound with vision clients",
          "[unit][fake]") {
  fake_panel p{api_profile::gen2, 7};
  p.seed_showcase("x");
  REQUIRE(p.inbounds().size() == 6);
  const auto& first = p.inbounds()[0];
  CHECK(first.protocol == "vless");
  auto stream = stream_of(first);
  CHECK(stream["network"] == "tcp");
  CHECK(stream["security"] == "reality");
  const auto& reality = stream["realitySettings"];
  CHECK(reality["serverNames"] == json::array({"www.microsoft.com", "microsoft.com"}));
  CHECK(reality["shortIds"].size() == 8);
  CHECK(reality["privateKey"].get<std::string>().size() == 43);
  CHECK(reality["settings"]["publicKey"].get<std::string>().size() == 43);
  CHECK(reality["settings"]["fingerprint"] == "chrome");
  CHECK(reality["settings"]["spiderX"] == "/");
  const auto& client = first.settings["clients"][0];
  CHECK(client["flow"] == "xtls-rprx-vision");
  CHECK(client["email"] == "x-seed-reality");
  CHECK(p.client_count() == 6);
  CHECK(p.find_traffic("x-seed-ss2022") != nullptr);
}

TEST_CASE("showcase inbounds carry their transports, TLS and shadowsocks keys", "[unit][fake]") {
  fake_panel p{api_profile::classic, 7};
  p.seed_showcase("x");
  std::vector<std::string> kinds;
  for (const auto& in : p.inbounds()) {
    auto stream = stream_of(in);
    kinds.push_back(in.protocol + "/" + stream["network"].get<std::string>() + "/"
                    + stream["security"].get<std::string>());
  }
  CHECK(kinds
        == std::vector<std::string>{"vless/tcp/reality", "vless/ws/tls", "trojan/grpc/tls",
                                    "vmess/ws/none", "shadowsocks/tcp/none", "vless/xhttp/tls"});
  CHECK(stream_of(p.inbounds()[1])["wsSettings"]["path"] == "/vlws");
  CHECK(stream_of(p.inbounds()[1])["tlsSettings"]["serverName"] == "cdn.example.net");
  CHECK(stream_of(p.inbounds()[2])["grpcSettings"]["serviceName"] == "tj-grpc");
  const auto& ss = p.inbounds()[4].settings;
  CHECK(ss["method"] == "2022-blake3-aes-256-gcm");
  CHECK(ss["password"].get<std::string>().size() == 44);
  CHECK(ss["clients"][0]["password"].get<std::string>().size() == 44);
  // Every seeded client belongs to one subscription.
  auto sub_id = p.inbounds()[0].settings["clients"][0]["subId"];
  for (const auto& in : p.inbounds())
    CHECK(in.settings["clients"][0]["subId"] == sub_id);
}

TEST_CASE("the same seed gives the same showcase keys", "[unit][fake]") {
  fake_panel a{api_profile::gen2, 3};
  fake_panel b{api_profile::gen2, 3};
  a.seed_showcase("x");
  b.seed_showcase("x");
  CHECK(a.inbounds()[0].stream_settings == b.inbounds()[0].stream_settings);
}

TEST_CASE("added inbounds are checked and get traffic rows for their clients", "[unit][fake]") {
  fake_panel p{api_profile::classic};
  p.seed("x");
  inbound_spec spec;
  spec.protocol = "trojan";
  spec.port = 9443;
  spec.remark = "extra";
  spec.settings = {{"clients", {{{"password", "pw"}, {"email", "t1"}}}}};
  int64_t id = 0;
  CHECK(p.add_inbound(spec, &id).empty());
  CHECK(id == 3);
  CHECK(p.find_traffic("t1") != nullptr);
  CHECK(p.find_inbound(3)->sniffing.find("destOverride") != std::string::npos);
  CHECK(p.add_inbound(spec) == "Port already exists: 9443");
  spec.port = 9444;
  CHECK(p.add_inbound(spec) == "Duplicate email: t1\n");
  spec.settings = {{"clients", {{{"email", "t2"}}}}};
  CHECK(p.add_inbound(spec) == "empty client ID\n");
  spec.protocol = "foo";
  CHECK(p.add_inbound(spec) == "unknown protocol \"foo\"");
  spec.protocol = "vless";
  spec.port = 70000;
  CHECK(p.add_inbound(spec) == "port 70000 is not 1..65535");
}

TEST_CASE("shadowsocks clients are keyed by email and keep their password", "[unit][fake]") {
  fake_panel p{api_profile::classic, 7};
  p.seed_showcase("x");
  auto ss_id = p.inbounds()[4].id;
  CHECK(p.add_clients(ss_id, json::array({{{"email", "s1"}, {"password", "cGFzcw=="}}})).empty());
  CHECK(p.find_inbound(ss_id)->settings["clients"][1]["password"] == "cGFzcw==");
  CHECK(p.delete_client(ss_id, "s1", false).empty());
  auto vless_id = p.inbounds()[0].id;
  CHECK(p.add_clients(vless_id,
                      json::array({{{"id", "u1"}, {"email", "v1"}, {"flow", "xtls-rprx-vision"}}}))
            .empty());
  CHECK(p.find_inbound(vless_id)->settings["clients"][1]["flow"] == "xtls-rprx-vision");
}

TEST_CASE("gen2 gives shadowsocks 2022 clients a key of the method's size", "[unit][fake]") {
  fake_panel p{api_profile::gen2, 7};
  p.seed_showcase("x");
  auto ss_id = p.inbounds()[4].id;
  CHECK(p.add_client_gen2({{"email", "s1"}, {"subId", "sub1"}}, {ss_id}).empty());
  auto password = p.find_inbound(ss_id)->settings["clients"][1]["password"].get<std::string>();
  CHECK(password.size() == 44);
  CHECK(password.back() == '=');
}
