// Answers no real panel sends but a broken proxy or a hostile host can: each shape here once
// crashed a reader or made it compute with undefined behaviour (found by tests/fuzz).
#include "common/panel/classify.hpp"
#include "common/panel/panel_check.hpp"
#include "common/panel/xui_adapter.hpp"

#include <catch2/catch.hpp>

#include <limits>

using namespace fleet;
using json = nlohmann::json;

namespace {

constexpr int64_t int64_max = std::numeric_limits<int64_t>::max();

http_response answer(std::string body) {
  http_response r;
  r.status = 200;
  r.body = std::move(body);
  return r;
}

} // namespace

TEST_CASE("a refusal whose msg is not text is still a refusal", "[unit][panel]") {
  for (const auto* body : {R"({"success":false,"msg":5})", R"({"success":false,"msg":{"a":1}})",
                           R"({"success":false,"msg":null})"}) {
    auto result = classify(answer(body), "add clients");
    REQUIRE_FALSE(result);
    CHECK(code_of(result.error()) == ec::panel_error);
    CHECK(message_of(result.error()) == "add clients: the panel refused: ");
  }
}

TEST_CASE("numbers outside int64 in an inbound list read as 0", "[unit][panel]") {
  auto list = json::parse(R"([{"id": 1e300, "up": -1e300, "down": 18446744073709551615,
    "port": 443.9, "protocol": "vless",
    "settings": {"clients": [{"email": "a", "totalGB": 1e19, "expiryTime": 2.5}]}}])");
  auto inbounds = gen2_adapter().parse_inbounds(list);
  REQUIRE(inbounds);
  REQUIRE(inbounds->size() == 1);
  const auto& in = inbounds->front();
  CHECK(in.id == 0);
  CHECK(in.up == 0);
  CHECK(in.down == 0);
  CHECK(in.port == 443);
  REQUIRE(in.clients.size() == 1);
  CHECK(in.clients[0].total_bytes == 0);
  CHECK(in.clients[0].expiry_time == 2);
}

TEST_CASE("traffic at the int64 limits neither overflows a sum nor counts as unused",
          "[unit][panel]") {
  panel_client_info full;
  full.email = "a";
  full.up = int64_max;
  full.down = int64_max;
  full.total_bytes = int64_max;
  CHECK_FALSE(full.active(0));
  panel_inbound in;
  in.up = int64_max;
  in.down = int64_max;
  in.clients = {full};
  health_report report;
  summarise_inbounds({in, in}, 0, report);
  CHECK(report.panel.bytes_transferred == int64_max);
  CHECK(report.panel.total_clients == 2);
  CHECK(report.panel.active_clients == 0);
  in.up = std::numeric_limits<int64_t>::min();
  in.down = std::numeric_limits<int64_t>::min();
  summarise_inbounds({in}, 0, report);
  CHECK(report.panel.bytes_transferred == std::numeric_limits<int64_t>::min());
}

TEST_CASE("a traffic record with a huge float reads as 0", "[unit][panel]") {
  auto usage = classic_adapter().parse_traffic(json::parse(R"({"up": 1e40, "down": 7})"));
  REQUIRE(usage);
  CHECK(usage->up == 0);
  CHECK(usage->down == 7);
}
