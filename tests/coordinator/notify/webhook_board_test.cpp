#include "coordinator/notify/webhook_board.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

namespace {

/// An event log that only knows its newest seq.
class fixed_log final : public event_log {
public:
  explicit fixed_log(uint64_t last) : last_(last) {}
  caf::expected<std::vector<event_record>> events_after(uint64_t, size_t) const override {
    return std::vector<event_record>{};
  }
  uint64_t last_event_seq() const noexcept override { return last_; }

private:
  uint64_t last_;
};

} // namespace

TEST_CASE("the webhook board shows cursor, lag and errors, and metrics per webhook",
          "[unit][webhook]") {
  fixed_log log{42};
  webhook_board board{&log};
  webhook_status row;
  row.url = "https://hooks.example.net/in";
  row.events = {"server.*"};
  auto i = board.add(row);
  board.update(i, [](webhook_status& w) {
    w.cursor = 40;
    w.pending_seq = 41;
    w.attempts = 3;
    w.last_error = "answered HTTP 503";
    w.last_error_ms = 1'700'000'000'000;
    w.failed = 3;
    w.delivered = 7;
  });
  auto out = board.to_json()["webhooks"];
  REQUIRE(out.size() == 1);
  CHECK(out[0]["lag"] == 2);
  CHECK(out[0]["cursor"] == 40);
  CHECK(out[0]["pending_seq"] == 41);
  CHECK(out[0]["attempts"] == 3);
  CHECK(out[0]["last_error"] == "answered HTTP 503");
  CHECK(out[0]["last_error_at"] == "2023-11-14T22:13:20.000Z");
  CHECK(out[0]["last_success_at"].is_null());
  auto metrics = board.metrics_text();
  CHECK_THAT(metrics, Catch::Contains("xui_fleet_webhook_deliveries_total{webhook=\"0\",url=\""
                                      "https://hooks.example.net/in\",result=\"failed\"} 3"));
  CHECK_THAT(metrics, Catch::Contains("xui_fleet_webhook_lag_events{webhook=\"0\",url=\""
                                      "https://hooks.example.net/in\"} 2"));
  CHECK(webhook_board{nullptr}.metrics_text().empty());
}
