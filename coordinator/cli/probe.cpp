#include "coordinator/cli/probe.hpp"

#include "common/json_reader.hpp"
#include "common/panel/classify.hpp"
#include "common/panel/panel_client.hpp"
#include "common/panel/panel_url.hpp"
#include "common/time_format.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <future>
#include <iomanip>

namespace fleet {

namespace {

template <class T, class Start>
caf::expected<T> wait_for(Start start, std::chrono::milliseconds limit) {
  auto promise = std::make_shared<std::promise<caf::expected<T>>>();
  auto future = promise->get_future();
  start([promise](caf::expected<T> r) { promise->set_value(std::move(r)); });
  if (future.wait_for(limit) != std::future_status::ready)
    return make_error(ec::panel_timeout, "the panel did not answer in time");
  return future.get();
}

struct probe_report {
  panel_status status;
  std::vector<panel_inbound> inbounds;
  std::chrono::milliseconds elapsed{0};
};

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
  // Allow login, status and inbounds each their own timeout.
  auto limit = timeout * 4;
  http_engine engine{4};
  panel_client client{engine, panel_endpoint::from(server, timeout)};
  auto start = std::chrono::steady_clock::now();
  auto status = wait_for<panel_status>([&](auto done) { client.status(done); }, limit);
  caf::expected<std::vector<panel_inbound>> inbounds{std::vector<panel_inbound>{}};
  if (status)
    inbounds
        = wait_for<std::vector<panel_inbound>>([&](auto done) { client.inbounds(done); }, limit);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  caf::error failure;
  if (!status)
    failure = status.error();
  else if (!inbounds)
    failure = inbounds.error();
  auto now = to_unix_ms(std::chrono::system_clock::now());
  if (json) {
    nlohmann::json report{{"server_id", id_to_json(server.id)},
                          {"url", panel_base_url(server)},
                          {"ok", !failure},
                          {"response_time_ms", elapsed.count()}};
    if (failure) {
      report["error"] = {{"code", to_string(code_of(failure))},
                         {"message", message_of(failure)},
                         {"retryable", is_retryable(failure)}};
    } else {
      report["api_generation"] = to_string(status->generation);
      report["panel_version"] = status->panel_version;
      report["xray_state"] = status->xray_state;
      report["xray_version"] = status->xray_version;
      auto list = nlohmann::json::array();
      for (const auto& in : *inbounds) {
        auto active = std::count_if(in.clients.begin(), in.clients.end(),
                                    [&](const panel_client_info& c) { return c.active(now); });
        list.push_back({{"id", in.id},
                        {"remark", in.remark},
                        {"protocol", in.protocol},
                        {"port", in.port},
                        {"enable", in.enable},
                        {"clients", in.clients.size()},
                        {"active_clients", active}});
      }
      report["inbounds"] = std::move(list);
    }
    out << report.dump(2) << '\n';
    return failure ? 1 : 0;
  }
  if (failure) {
    err << "probe " << server.id << " (" << panel_base_url(server)
        << ") failed: " << to_string(code_of(failure))
        << (is_retryable(failure) ? " (retryable)" : " (permanent)") << ": " << message_of(failure)
        << '\n';
    return 1;
  }
  out << "server " << server.id << " (" << server.name << ") at " << panel_base_url(server)
      << ": ok in " << elapsed.count() << " ms\n"
      << "  API " << to_string(status->generation)
      << (status->panel_version.empty() ? "" : " (panel " + status->panel_version + ")")
      << ", auth " << (server.api_token.empty() ? "login" : "token") << ", xray "
      << status->xray_state << " " << status->xray_version << '\n';
  size_t total = 0;
  for (const auto& in : *inbounds) {
    auto active = std::count_if(in.clients.begin(), in.clients.end(),
                                [&](const panel_client_info& c) { return c.active(now); });
    total += in.clients.size();
    out << "  inbound " << std::setw(3) << in.id << "  " << std::left << std::setw(10)
        << in.protocol << std::right << " port " << std::setw(5) << in.port << "  " << std::setw(5)
        << in.clients.size() << " clients (" << active << " active)"
        << (in.enable ? "" : "  disabled") << "  " << in.remark << '\n';
  }
  out << "  " << inbounds->size() << " inbounds, " << total << " clients\n";
  return 0;
}

} // namespace fleet
