#include "common/panel/panel_check.hpp"

#include "common/time_format.hpp"

#include <chrono>

namespace fleet {

namespace {

int64_t now_ms() {
  return to_unix_ms(std::chrono::system_clock::now());
}

} // namespace

check_verdict verdict_of(const caf::error& err) {
  return code_of(err) == ec::unauthenticated ? check_verdict::auth_failure
                                             : check_verdict::network_failure;
}

void summarise_inbounds(const std::vector<panel_inbound>& inbounds, int64_t now,
                        health_report& report) {
  report.total_clients = 0;
  report.active_clients = 0;
  report.bytes_transferred = 0;
  for (const auto& in : inbounds) {
    report.bytes_transferred += in.up + in.down;
    for (const auto& c : in.clients) {
      ++report.total_clients;
      report.active_clients += c.active(now) ? 1 : 0;
    }
  }
}

void run_check(std::shared_ptr<panel_client> client, std::function<void(health_report)> done) {
  auto started = std::chrono::steady_clock::now();
  auto finish = [started, done](health_report r) {
    r.checked_at_ms = now_ms();
    r.response_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - started)
                             .count();
    done(std::move(r));
  };
  client->status([client, finish](caf::expected<panel_status> status) {
    health_report r;
    if (!status) {
      r.verdict = verdict_of(status.error());
      r.last_error = message_of(status.error());
      return finish(std::move(r));
    }
    r.xray_state = status->xray_state;
    r.panel_version = status->panel_version;
    client->inbounds([finish, r,
                      xray = *status](caf::expected<std::vector<panel_inbound>> in) mutable {
      if (!in) {
        r.verdict = verdict_of(in.error());
        r.last_error = message_of(in.error());
        return finish(std::move(r));
      }
      summarise_inbounds(*in, now_ms(), r);
      if (xray.xray_state != "running") {
        r.verdict = check_verdict::xray_down;
        r.last_error = "xray is "
                       + (xray.xray_state.empty() ? std::string{"not reported"} : xray.xray_state)
                       + (xray.xray_error.empty() ? "" : ": " + xray.xray_error);
      } else {
        r.verdict = check_verdict::passed;
      }
      finish(std::move(r));
    });
  });
}

} // namespace fleet
