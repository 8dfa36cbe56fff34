// The base64 answer, its headers, and the encoding primitives underneath the links.

#include "coordinator/subscription/go_json.hpp"
#include "coordinator/subscription/subscription.hpp"
#include "coordinator/subscription/url_text.hpp"
#include "tests/coordinator/subscription/inbound_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

TEST_CASE("subscription: base64 of every link with a newline after each", "[unit][subscription]") {
  auto a = load_profile("vless_reality_vision");
  auto b = load_profile("vless_tls_external_proxy");
  auto entries = entries_at(a);
  for (const auto& e : entries_at(b))
    entries.push_back(e);
  entries.push_back({nullptr, "h", "x", 0, nullptr});
  auto r = render_subscription(subscription_format::base64, a.user, entries);
  CHECK(r.content_type == "text/plain; charset=utf-8");
  CHECK(r.filename == "subscription.txt");
  REQUIRE(r.left_out.size() == 1);
  CHECK(r.left_out[0].index == 3);
  std::string text;
  for (size_t i = 0; i < 3; ++i)
    text += share_link(entries[i], a.user) + "\n";
  CHECK(r.body == base64_encode(text));
  CHECK(render_subscription(subscription_format::base64, a.user, {}).body.empty());
}

TEST_CASE("subscription: the userinfo header", "[unit][subscription]") {
  CHECK(subscription_userinfo(10485760, 209715200, 53687091200, 1767225600)
        == "upload=10485760; download=209715200; total=53687091200; expire=1767225600");
  CHECK(subscription_userinfo(0, 0, 0, 0) == "upload=0; download=0; total=0; expire=0");
}

TEST_CASE("subscription: profile title and content disposition", "[unit][subscription]") {
  CHECK(profile_title("Fleet VPN") == "base64:RmxlZXQgVlBO");
  CHECK(content_disposition("", "subscription.yaml")
        == "attachment; filename=\"subscription.yaml\"");
  CHECK(content_disposition("Fleet VPN: DE=1", "subscription.yaml")
        == "attachment; filename*=UTF-8''Fleet%20VPN%3A%20DE%3D1");
  CHECK(content_disposition("\xC3\xBC|x", "x") == "attachment; filename*=UTF-8''%C3%BC|x");
}

TEST_CASE("subscription url text: Go's QueryEscape and the remark form", "[unit][subscription]") {
  CHECK(query_escape("p@ss/w+rd=") == "p%40ss%2Fw%2Brd%3D");
  CHECK(query_escape("a b,c:d|e~f_g.h-i") == "a+b%2Cc%3Ad%7Ce~f_g.h-i");
  CHECK(component_escape("a b+c") == "a%20b%2Bc");
  CHECK(encode_query({{"type", "tcp"}, {"host", ""}, {"Z", "1"}}) == "Z=1&host=&type=tcp");
}

TEST_CASE("subscription url text: host and port, brackets for IPv6 only", "[unit][subscription]") {
  CHECK(join_host_port("de1.example.net", 443) == "de1.example.net:443");
  CHECK(join_host_port("203.0.113.1", 80) == "203.0.113.1:80");
  CHECK(join_host_port("2001:db8::1", 443) == "[2001:db8::1]:443");
  CHECK(join_host_port("[2001:db8::1]", 443) == "[2001:db8::1]:443");
  CHECK(bare_host("[2001:db8::1]") == "2001:db8::1");
}

TEST_CASE("subscription url text: base64 both ways of padding", "[unit][subscription]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("\xFB\xFF") == "+/8=");
  CHECK(base64url_encode("\xFB\xFF") == "-_8");
  CHECK(base64url_encode("aes-256-gcm:s3cret-Pa55") == "YWVzLTI1Ni1nY206czNjcmV0LVBhNTU");
}

TEST_CASE("subscription go json: sorted keys, Go's HTML escapes and indentation",
          "[unit][subscription]") {
  auto value = nlohmann::json::parse(R"({"b": "<a&b>", "a": [1, {"c": "\u2028"}], "e": {}})");
  CHECK(go_json(value) == R"({"a":[1,{"c":"\u2028"}],"b":"\u003ca\u0026b\u003e","e":{}})");
  CHECK(go_json(value, true)
        == "{\n  \"a\": [\n    1,\n    {\n      \"c\": \"\\u2028\"\n    }\n  ],\n"
           "  \"b\": \"\\u003ca\\u0026b\\u003e\",\n  \"e\": {}\n}");
}
