// Webhooks over real sockets: signatures, order, a receiver that is down or failing, and a
// coordinator restart in the middle.

#include "coordinator/notify/webhook_signature.hpp"
#include "tests/integration/api_fleet.hpp"
#include "tests/support/recording_http_server.hpp"

#include <set>

using namespace fleet;
using namespace fleet::test;

namespace {

const std::string secret = "whsec-0123456789abcdef";

webhook_settings hook(const std::string& url) {
  webhook_settings w;
  w.url = url;
  w.secret = secret;
  w.events = {"client.*"};
  w.timeout = 2s;
  w.retry_min = 50ms;
  w.retry_max = 400ms;
  return w;
}

/// Seqs of what `r` accepted, in arrival order.
std::vector<uint64_t> seqs_of(const recording_http_server& r) {
  std::vector<uint64_t> out;
  for (const auto& req : r.accepted())
    out.push_back(std::stoull(req.headers.at("X-Fleet-Event-Seq")));
  return out;
}

/// Seqs of the log's events of type client.*.
std::vector<uint64_t> client_events(api_fleet& f) {
  auto events = f.fleet.db->events_after(0, 10'000);
  REQUIRE(events);
  std::vector<uint64_t> out;
  for (const auto& e : *events)
    if (e.type.rfind("client.", 0) == 0)
      out.push_back(e.seq);
  return out;
}

/// Whether `seen` is `expected` in order, where an event may come twice in a row (the one
/// in flight when the coordinator stopped).
bool in_order_without_gaps(std::vector<uint64_t> seen, const std::vector<uint64_t>& expected) {
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  return seen == expected;
}

/// Checks what a receiver does: the signature over "t.body" with the shared secret.
void check_signed(const recorded_request& req) {
  const auto& header = req.headers.at("X-Fleet-Signature");
  auto comma = header.find(',');
  REQUIRE(header.rfind("t=", 0) == 0);
  REQUIRE(comma != std::string::npos);
  auto t = header.substr(2, comma - 2);
  REQUIRE(header.substr(comma + 1, 3) == "v1=");
  CHECK(header.substr(comma + 4) == hmac_sha256_hex(secret, t + "." + req.body));
  auto age = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count()
             - std::stoll(t);
  CHECK(age >= 0);
  CHECK(age < 60);
  CHECK(req.headers.at("Content-Type") == "application/json");
  auto body = json::parse(req.body);
  CHECK(std::to_string(body.at("seq").get<uint64_t>()) == req.headers.at("X-Fleet-Event-Seq"));
  CHECK(hmac_sha256_hex("another secret", t + "." + req.body) != header.substr(comma + 4));
}

/// Whether webhook `i` has a cursor at `seq` or later.
bool caught_up(api_fleet& f, size_t i, uint64_t seq) {
  return get(f, "/api/v1/webhooks").body["webhooks"][i]["cursor"].get<uint64_t>() >= seq;
}

void create_clients(api_fleet& f, int from, int count) {
  for (int i = from; i < from + count; ++i)
    REQUIRE(create(f.fleet, user(i)).find("error") == std::string::npos);
}

} // namespace

TEST_CASE("webhooks: matching events arrive signed, in seq order, as the API renders them",
          "[integration][webhooks]") {
  recording_http_server receiver;
  REQUIRE(receiver.start());
  api_fleet f{[&](fleet_config& c) {
    c.coordinator.webhooks = {hook(receiver.url("/hook?key=query-secret"))};
  }};
  create_clients(f, 1, 5);
  REQUIRE(eventually([&] { return receiver.accepted().size() >= 5; }));
  auto expected = client_events(f);
  REQUIRE(expected.size() == 5);
  CHECK(seqs_of(receiver) == expected);
  for (const auto& req : receiver.accepted()) {
    check_signed(req);
    CHECK(req.path == "/hook");
    auto seq = std::stoull(req.headers.at("X-Fleet-Event-Seq"));
    auto listed = get(f, "/api/v1/events?after=" + std::to_string(seq - 1) + "&limit=1");
    REQUIRE(listed.body["events"].size() == 1);
    CHECK(json::parse(req.body) == listed.body["events"][0]);
  }
  // The receiver has the request before the coordinator has its answer.
  REQUIRE(eventually([&] { return caught_up(f, 0, expected.back()); }));
  auto status = get(f, "/api/v1/webhooks");
  REQUIRE(status.status == 200);
  REQUIRE(status.body["webhooks"].size() == 1);
  const auto& w = status.body["webhooks"][0];
  CHECK(w["url"] == receiver.url("/hook"));
  CHECK(w["events"] == json::array({"client.*"}));
  CHECK(w["delivered"] == 5);
  CHECK(w["cursor"].get<uint64_t>() >= expected.back());
  CHECK(w["lag"].get<uint64_t>() == f.fleet.db->last_event_seq() - w["cursor"].get<uint64_t>());
  CHECK_FALSE(w["last_success_at"].is_null());
  CHECK(w["last_error"].is_null());
  CHECK(status.text.find(secret) == std::string::npos);
  CHECK(status.text.find("query-secret") == std::string::npos);
  auto metrics = f.client().Get("/metrics");
  REQUIRE(metrics);
  CHECK_THAT(metrics->body, Catch::Contains("xui_fleet_webhook_deliveries_total{webhook=\"0\""));
  CHECK_THAT(metrics->body, Catch::Contains("xui_fleet_webhook_lag_events{webhook=\"0\""));
}

TEST_CASE("webhooks: a receiver down or failing gets everything in order once back, others "
          "unaffected",
          "[integration][webhooks]") {
  recording_http_server down;
  recording_http_server failing;
  recording_http_server up;
  REQUIRE(down.start());
  down.stop();
  REQUIRE(failing.start());
  failing.answer_with([](const recorded_request&) {
    return std::pair<int, std::string>{500, "{}"};
  });
  REQUIRE(up.start());
  api_fleet f{[&](fleet_config& c) {
    c.coordinator.webhooks = {hook(down.url("/in")), hook(failing.url("/in")), hook(up.url("/in"))};
  }};
  create_clients(f, 1, 4);
  auto expected = client_events(f);
  REQUIRE(expected.size() == 4);
  REQUIRE(eventually([&] { return up.accepted().size() == 4; }));
  CHECK(seqs_of(up) == expected);
  REQUIRE(eventually([&] {
    auto w = get(f, "/api/v1/webhooks").body["webhooks"];
    return w[0]["attempts"].get<int64_t>() >= 2 && w[1]["attempts"].get<int64_t>() >= 2;
  }));
  auto w = get(f, "/api/v1/webhooks").body["webhooks"];
  CHECK_THAT(w[0]["last_error"].get<std::string>(), Catch::StartsWith("no answer: "));
  CHECK(w[1]["last_error"] == "answered HTTP 500");
  CHECK(w[0]["pending_seq"] == expected.front());
  CHECK(w[0]["lag"].get<uint64_t>() > 0);
  CHECK_FALSE(w[0]["next_attempt_at"].is_null());
  CHECK(w[2]["lag"].get<uint64_t>()
        == f.fleet.db->last_event_seq() - w[2]["cursor"].get<uint64_t>());
  // The failing receiver saw the first event again and again, never a later one.
  for (const auto& req : failing.refused())
    CHECK(req.headers.at("X-Fleet-Event-Seq") == std::to_string(expected.front()));
  REQUIRE(down.start());
  failing.answer_with({});
  REQUIRE(eventually([&] { return down.accepted().size() == 4 && failing.accepted().size() == 4; },
                     10s));
  CHECK(seqs_of(down) == expected);
  CHECK(seqs_of(failing) == expected);
  REQUIRE(eventually(
      [&] { return caught_up(f, 0, expected.back()) && caught_up(f, 1, expected.back()); }));
  for (const auto& req : down.accepted())
    check_signed(req);
  auto after = get(f, "/api/v1/webhooks").body["webhooks"];
  CHECK(after[0]["attempts"] == 0);
  CHECK(after[0]["pending_seq"].is_null());
  CHECK(after[0]["failed"].get<uint64_t>() >= 2);
}

TEST_CASE("webhooks: after a coordinator restart delivery goes on from the stored cursor",
          "[integration][webhooks]") {
  recording_http_server receiver;
  REQUIRE(receiver.start());
  api_fleet f{[&](fleet_config& c) { c.coordinator.webhooks = {hook(receiver.url("/in"))}; }};
  create_clients(f, 1, 2);
  REQUIRE(eventually([&] { return receiver.accepted().size() == 2; }));
  receiver.stop();
  create_clients(f, 3, 3);
  // Attempts at the third event fail while the receiver is down.
  REQUIRE(eventually([&] {
    return get(f, "/api/v1/webhooks").body["webhooks"][0]["attempts"].get<int64_t>() >= 1;
  }));
  f.restart();
  create_clients(f, 6, 1);
  REQUIRE(receiver.start());
  auto expected = client_events(f);
  REQUIRE(expected.size() == 6);
  REQUIRE(eventually(
      [&] {
        auto seen = seqs_of(receiver);
        return std::set<uint64_t>{seen.begin(), seen.end()}.size() == 6;
      },
      10s));
  auto seen = seqs_of(receiver);
  CHECK(in_order_without_gaps(seen, expected));
  // At most the event in flight at the stop comes twice.
  CHECK(seen.size() <= expected.size() + 1);
  CHECK(eventually([&] { return caught_up(f, 0, expected.back()); }));
}
