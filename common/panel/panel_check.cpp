#include "common/panel/panel_check.hpp"

#include "common/clock.hpp"
#include "common/saturating.hpp"

#include <chrono>

namespace fleet {

check_verdict verdict_of(const caf::error& err) {
  return code_of(err) == ec::unauthenticated ? check_verdict::auth_failure
                                             : check_verdict::network_failure;
}

void summarise_inbounds(const std::vector<panel_inbound>& inbounds, int64_t now,
                        health_report& report) {
  auto& p = report.panel;
  p.total_clients = 0;
  p.active_clients = 0;
  p.bytes_transferred = 0;
  report.inbounds.clear();
  report.counters.clear();
  for (const auto& in : inbounds) {
    report.inbounds.push_back(inbound_profile{in.id, in.protocol, in.listen, in.port, in.remark,
                                              in.enable, in.settings, in.stream_settings});
    p.bytes_transferred = saturating_add(p.bytes_transferred, saturating_add(in.up, in.down));
    for (const auto& c : in.clients) {
      ++p.total_clients;
      p.active_clients += c.active(now) ? 1 : 0;
      report.counters.push_back(
          client_counters{c.email, c.up, c.down, c.enable, c.total_bytes, c.expiry_time});
    }
  }
}

void check_panel(std::shared_ptr<panel_client> client, std::function<void(check_result)> done) {
  auto started = real_clock().steady();
  auto finish = [started, done](check_result r) {
    r.checked_at_ms = real_clock().wall_ms();
    r.elapsed
        = std::chrono::duration_cast<std::chrono::milliseconds>(real_clock().steady() - started);
    done(std::move(r));
  };
  auto fail = [finish](check_result r, caf::error err) {
    r.verdict = verdict_of(err);
    r.last_error = message_of(err);
    r.failure = std::move(err);
    finish(std::move(r));
  };
  client->status([client, finish, fail](caf::expected<panel_status> status) {
    check_result r;
    if (!status)
      return fail(std::move(r), std::move(status.error()));
    r.status = std::move(*status);
    client->inbounds([finish, fail,
                      r = std::move(r)](caf::expected<std::vector<panel_inbound>> in) mutable {
      if (!in)
        return fail(std::move(r), std::move(in.error()));
      r.inbounds = std::move(*in);
      const auto& xray = *r.status;
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

void run_check(std::shared_ptr<panel_client> client, std::function<void(health_report)> done) {
  check_panel(std::move(client), [done](check_result c) {
    health_report r;
    r.verdict = c.verdict;
    r.last_error = c.last_error;
    r.checked_at_ms = c.checked_at_ms;
    r.response_time_ms = c.elapsed.count();
    if (c.status) {
      r.panel.xray_state = c.status->xray_state;
      r.panel.panel_version = c.status->panel_version;
    }
    if (c.inbounds)
      summarise_inbounds(*c.inbounds, c.checked_at_ms, r);
    done(std::move(r));
  });
}

} // namespace fleet
