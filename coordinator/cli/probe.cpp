#include "coordinator/cli/probe.hpp"

#include "common/json_reader.hpp"
#include "common/panel/classify.hpp"
#include "common/panel/panel_check.hpp"
#include "common/panel/panel_client.hpp"
#include "common/panel/panel_url.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <future>
#include <iomanip>

namespace fleet {

namespace {

/// Runs the health check the probes run and waits for it at most `limit`.
check_result wait_for_check(std::shared_ptr<panel_client> client, std::chrono::milliseconds limit) {
  auto promise = std::make_shared<std::promise<check_result>>();
  auto future = promise->get_future();
  check_panel(std::move(client), [promise](check_result r) { promise->set_value(std::move(r)); });
  if (future.wait_for(limit) == std::future_status::ready)
    return future.get();
  check_result late;
  late.failure = make_error(ec::panel_timeout, "the panel did not answer in time");
  late.verdict = verdict_of(late.failure);
  late.last_error = message_of(late.failure);
  late.elapsed = limit;
  return late;
}

size_t active_clients(const panel_inbound& in, int64_t now) {
  return static_cast<size_t>(
      std::count_if(in.clients.begin(), in.clients.end(),
                    [&](const panel_client_info& c) { return c.active(now); }));
}

/// The failure as `{code, message, retryable}`: the classified error of a failed call, or
/// the verdict of a panel that answered but cannot serve (xray not running).
nlohmann::json error_json(const check_result& r) {
  if (r.failure)
    return {{"code", to_string(code_of(r.failure))},
            {"message", message_of(r.failure)},
            {"retryable", is_retryable(r.failure)}};
  return {{"code", to_string(r.verdict)}, {"message", r.last_error}, {"retryable", true}};
}

std::string error_line(const check_result& r) {
  if (r.failure)
    return to_string(code_of(r.failure))
           + (is_retryable(r.failure) ? " (retryable)" : " (permanent)") + ": "
           + message_of(r.failure);
  return std::string{to_string(r.verdict)} + " (retryable): " + r.last_error;
}

nlohmann::json report_json(const server_config& server, const check_result& r) {
  nlohmann::json report{{"server_id", id_to_json(server.id)},
                        {"url", panel_base_url(server)},
                        {"ok", r.passed()},
                        {"verdict", to_string(r.verdict)},
                        {"response_time_ms", r.elapsed.count()}};
  if (!r.passed())
    report["error"] = error_json(r);
  if (r.status) {
    report["api_generation"] = to_string(r.status->generation);
    report["panel_version"] = r.status->panel_version;
    report["xray_state"] = r.status->xray_state;
    report["xray_version"] = r.status->xray_version;
  }
  if (r.inbounds) {
    auto list = nlohmann::json::array();
    for (const auto& in : *r.inbounds)
      list.push_back({{"id", in.id},
                      {"remark", in.remark},
                      {"protocol", in.protocol},
                      {"port", in.port},
                      {"enable", in.enable},
                      {"clients", in.clients.size()},
                      {"active_clients", active_clients(in, r.checked_at_ms)}});
    report["inbounds"] = std::move(list);
  }
  return report;
}

void print_text(std::ostream& out, const server_config& server, const check_result& r) {
  out << "server " << server.id << " (" << server.name << ") at " << panel_base_url(server) << ": "
      << (r.passed() ? "ok" : to_string(r.verdict)) << " in " << r.elapsed.count() << " ms\n";
  if (r.status)
    out << "  API " << to_string(r.status->generation)
        << (r.status->panel_version.empty() ? "" : " (panel " + r.status->panel_version + ")")
        << ", auth " << (server.api_token.empty() ? "login" : "token") << ", xray "
        << r.status->xray_state << " " << r.status->xray_version << '\n';
  if (!r.inbounds)
    return;
  size_t total = 0;
  for (const auto& in : *r.inbounds) {
    total += in.clients.size();
    out << "  inbound " << std::setw(3) << in.id << "  " << std::left << std::setw(10)
        << in.protocol << std::right << " port " << std::setw(5) << in.port << "  " << std::setw(5)
        << in.clients.size() << " clients (" << active_clients(in, r.checked_at_ms) << " active)"
        << (in.enable ? "" : "  disabled") << "  " << in.remark << '\n';
  }
  out << "  " << r.inbounds->size() << " inbounds, " << total << " clients\n";
}

} // namespace

int run_probe(std::ostream& out, std::ostream& err, const fleet_config& config,
              const std::string& server_id, bool json) {
  auto it = std::find_if(config.servers.begin(), config.servers.end(),
                         [&](const server_config& s) { return s.id == server_id; });
  if (it == config.servers.end()) {
    err << "fleet-coordinator: no server with id " << server_id << " in the config\n";
    return 2;
  }
  const auto& server = *it;
  auto timeout = config.management.health_check_timeout;
  http_engine engine{4};
  auto client = std::make_shared<panel_client>(engine, panel_endpoint::from(server, timeout));
  // Allow login, status and inbounds each their own timeout.
  auto result = wait_for_check(client, timeout * 4);
  if (json) {
    out << report_json(server, result).dump(2) << '\n';
  } else {
    // A panel that answered is described even when it cannot serve (xray stopped).
    if (!result.failure)
      print_text(out, server, result);
    if (!result.passed())
      err << "probe " << server.id << " (" << panel_base_url(server)
          << ") failed: " << error_line(result) << '\n';
  }
  return result.passed() ? 0 : 1;
}

} // namespace fleet
