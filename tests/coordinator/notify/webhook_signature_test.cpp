#include "coordinator/notify/retry_backoff.hpp"
#include "coordinator/notify/telegram_actor.hpp"
#include "coordinator/notify/webhook_queue.hpp"
#include "coordinator/notify/webhook_signature.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

TEST_CASE("webhook signatures are HMAC-SHA256 of t.body in hex", "[unit][webhook]") {
  // RFC 4231, test case 2.
  CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?")
        == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  auto header = signature_header("Jefe", 1700000000, R"({"seq":1})");
  CHECK(header == "t=1700000000,v1=" + hmac_sha256_hex("Jefe", R"(1700000000.{"seq":1})"));
  CHECK(header != signature_header("Jefe", 1700000001, R"({"seq":1})"));
}

TEST_CASE("webhook URLs are shown without user, password, query or fragment", "[unit][webhook]") {
  CHECK(redact_url("https://u:p@hooks.example.net:8443/in?token=s#x")
        == "https://hooks.example.net:8443/in");
  CHECK(redact_url("http://127.0.0.1:9000/in") == "http://127.0.0.1:9000/in");
  CHECK(redact_url("https://hooks.example.net?k=1") == "https://hooks.example.net");
  CHECK(redact_url("https://hooks.example.net/a@b") == "https://hooks.example.net/a@b");
}

TEST_CASE("retry delays double up to the cap, jittered over the upper half", "[unit][webhook]") {
  using std::chrono::milliseconds;
  CHECK(retry_delay(milliseconds{1000}, milliseconds{60'000}, 1, 0.0) == milliseconds{500});
  CHECK(retry_delay(milliseconds{1000}, milliseconds{60'000}, 1, 1.0) == milliseconds{1000});
  CHECK(retry_delay(milliseconds{1000}, milliseconds{60'000}, 3, 1.0) == milliseconds{4000});
  CHECK(retry_delay(milliseconds{1000}, milliseconds{60'000}, 40, 1.0) == milliseconds{60'000});
  CHECK(retry_delay(milliseconds{1000}, milliseconds{60'000}, 40, 0.0) == milliseconds{30'000});
}

TEST_CASE("a webhook queue keeps matching events in order and its cursor skips the rest",
          "[unit][webhook]") {
  auto event = [](uint64_t seq, std::string type) {
    event_record e;
    e.seq = seq;
    e.type = std::move(type);
    return e;
  };
  webhook_queue q{{"server.*"}, 10};
  CHECK(q.head() == nullptr);
  CHECK(q.cursor() == 10);
  q.add({event(11, "client.created"), event(12, "server.unhealthy"), event(13, "client.deleted"),
         event(14, "server.healthy"), event(15, "client.created")});
  REQUIRE(q.head() != nullptr);
  CHECK(q.head()->seq == 12);
  // Not past 12 before it is delivered.
  CHECK(q.cursor() == 11);
  q.delivered();
  CHECK(q.head()->seq == 14);
  CHECK(q.cursor() == 13);
  q.delivered();
  CHECK(q.head() == nullptr);
  CHECK(q.cursor() == 15);
  CHECK(q.read_to() == 15);
  // What was read before is not taken twice.
  q.add({event(15, "server.healthy"), event(16, "server.draining")});
  REQUIRE(q.head() != nullptr);
  CHECK(q.head()->seq == 16);
}

TEST_CASE("scrub replaces every occurrence of a secret", "[unit][alerts]") {
  CHECK(scrub("POST https://api/bot1:ab/sendMessage failed: bot1:ab", "1:ab")
        == "POST https://api/bot<redacted>/sendMessage failed: bot<redacted>");
  CHECK(scrub("nothing here", "1:ab") == "nothing here");
  CHECK(scrub("kept", "") == "kept");
}
