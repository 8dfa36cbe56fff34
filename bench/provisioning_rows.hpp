#pragma once

// One row of provisioning_bench: `users` new users created with `in_flight` creates at a
// time, by the bot baseline (one addClient per user) or through the coordinator's HTTP API,
// with the panel calls it took and the clients the panels hold afterwards (lost: created and
// acknowledged but not on the panel named in the answer; duplicated: copies beyond one).

#include "bench/bot_placement.hpp"
#include "bench/closed_loop.hpp"
#include "bench/coordinator_process.hpp"
#include "bench/fake_control.hpp"
#include "bench/percentile.hpp"
#include "bench/process_stats.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace fleet::bench {

/// The add routes of classic panels (several clients per call) and of gen2 (one).
inline const std::string add_client_route = "POST panel/api/inbounds/addClient";
inline const std::string gen2_add_client_route = "POST panel/api/clients/add";

struct row_figures {
  int users = 0;
  double seconds = 0;
  int failures = 0;
  std::string first_error;
  double p50_ms = 0;
  double p99_ms = 0;
  /// addClient requests the panels served during the row.
  int64_t add_calls = 0;
  /// The coordinator's own count of client operations sent to panels; -1 for the baseline.
  double metric_calls = -1;
  /// Coordinator CPU per create in microseconds; -1 for the baseline.
  double cpu_us_per_create = -1;
  int lost = 0;
  int duplicated = 0;
  /// CPU of the fake panels' process and of this one (the bot, or the load generator), in
  /// percent of one core over the row.
  double panels_cpu_pct = 0;
  double client_cpu_pct = 0;

  [[nodiscard]] double users_per_s() const { return seconds > 0 ? users / seconds : 0; }
};

/// The panels of a benchmark fleet as fake-xui's control API names them (p1..pN).
inline std::vector<std::string> panel_names(size_t n) {
  std::vector<std::string> out;
  for (size_t i = 1; i <= n; ++i)
    out.push_back("p" + std::to_string(i));
  return out;
}

inline int64_t add_calls_so_far(fake_control& control, const std::vector<std::string>& panels) {
  int64_t sum = 0;
  for (const auto& name : panels)
    for (const auto* route : {&add_client_route, &gen2_add_client_route})
      sum += control.counters(name)[*route];
  return sum;
}

/// Fills `lost` and `duplicated` of `row` from the panels' clients: `acked` holds, per
/// acknowledged create, the email and the panel it was placed on; every email starting with
/// `prefix` is checked for copies.
inline void count_losses(fake_control& control, const std::vector<std::string>& panels,
                         const std::string& prefix,
                         const std::vector<std::pair<std::string, std::string>>& acked,
                         row_figures& row) {
  std::map<std::string, std::map<std::string, int>> copies; // email -> panel -> copies
  for (const auto& name : panels)
    for (const auto& email : control.emails(name))
      if (email.rfind(prefix, 0) == 0)
        ++copies[email][name];
  for (const auto& [email, panel] : acked) {
    auto i = copies.find(email);
    if (i == copies.end() || i->second.count(panel) == 0)
      ++row.lost;
  }
  for (const auto& [email, on] : copies) {
    int n = 0;
    for (const auto& [panel, k] : on)
      n += k;
    row.duplicated += n - 1;
  }
}

/// `x` with `decimals` digits after the point.
inline std::string fixed(double x, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, x);
  return buf;
}

/// CPU of the fake panels and of this process between `start` and `stop`.
class cpu_meter {
public:
  explicit cpu_meter(pid_t panels) : panels_(panels) {
    // nop
  }

  void start() {
    panels0_ = cpu_seconds_of(panels_);
    self0_ = cpu_seconds();
  }

  void stop() {
    panels_used_ = cpu_seconds_of(panels_) - panels0_;
    self_used_ = cpu_seconds() - self0_;
  }

  /// Fills the row's CPU shares over its `seconds`.
  void fill(row_figures& row) const {
    if (row.seconds <= 0)
      return;
    row.panels_cpu_pct = 100 * panels_used_ / row.seconds;
    row.client_cpu_pct = 100 * self_used_ / row.seconds;
  }

private:
  pid_t panels_;
  double panels0_ = 0;
  double self0_ = 0;
  double panels_used_ = 0;
  double self_used_ = 0;
};

/// A row's time, failures and latency percentiles from the closed loop that ran it.
inline row_figures row_of(const loop_figures& run, int users) {
  row_figures row;
  row.users = users;
  row.seconds = run.seconds;
  row.failures = run.failures;
  row.first_error = run.first_error;
  auto ms = run.latencies_ms;
  if (!ms.empty()) {
    std::sort(ms.begin(), ms.end());
    row.p50_ms = percentile(ms, 0.50);
    row.p99_ms = percentile(ms, 0.99);
  }
  return row;
}

/// The bot baseline: least load from cached counts, one addClient per user over
/// common/panel, `in_flight` calls at a time.
inline row_figures baseline_row(fake_control& control, pid_t panels_pid,
                                const std::vector<server_config>& servers, int users, int in_flight,
                                const std::string& prefix) {
  auto panels = panel_names(servers.size());
  std::mt19937_64 rng{static_cast<uint64_t>(in_flight)};
  auto calls0 = add_calls_so_far(control, panels);
  cpu_meter meter{panels_pid};
  auto bot = bot_adds(servers, users, in_flight, prefix, rng, bot_choice::least_load,
                      [&meter](bool start) { start ? meter.start() : meter.stop(); });
  auto row = row_of(bot, users);
  meter.fill(row);
  row.add_calls = add_calls_so_far(control, panels) - calls0;
  std::vector<std::pair<std::string, std::string>> acked;
  for (size_t i = 0; i < bot.placed_on.size(); ++i)
    if (bot.placed_on[i] != bot_figures::not_added)
      acked.emplace_back(prefix + std::to_string(i), panels[bot.placed_on[i]]);
  count_losses(control, panels, prefix, acked, row);
  return row;
}

/// `count` requests made by `make(i)` to the coordinator, `in_flight` at a time over as many
/// connections; `check(i, answer)` says what went wrong ("" for nothing).
inline loop_figures api_load(int count, int in_flight, const std::function<http_request(int)>& make,
                             const std::function<std::string(int, const http_response&)>& check) {
  http_engine engine{std::max(16, in_flight)};
  std::vector<http_engine::session_id> sessions;
  for (int i = 0; i < in_flight; ++i)
    sessions.push_back(engine.open_session());
  return closed_loop(count, in_flight, [&](size_t slot, int item, loop_done done) {
    engine.submit(sessions[slot], make(item),
                  [&check, item, done](http_response r) { done(check(item, r)); });
  });
}

/// "" for an HTTP answer with status `want`, else what came instead.
inline std::string unexpected(const http_response& r, long want) {
  if (r.transport_code != 0)
    return r.transport_error;
  if (r.status == want)
    return {};
  return "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 300);
}

/// Requests of `method path` with `body` per second, `count` of them `in_flight` at a time.
inline double api_rate(coordinator_process& fleet, const std::string& method,
                       const std::string& path, const std::string& body, int count, int in_flight) {
  auto f = api_load(
      count, in_flight,
      [&](int) {
        http_request req;
        req.method = method;
        req.url = fleet.url() + path;
        req.body = body;
        req.headers = {fleet.authorization()};
        if (!body.empty())
          req.headers.emplace_back("Content-Type: application/json");
        return req;
      },
      [](int, const http_response& r) { return unexpected(r, 200); });
  return f.failures > 0 || f.seconds <= 0 ? 0 : count / f.seconds;
}

/// Requests per second wrk reaches on `POST path` with `body` over `in_flight` connections
/// for `seconds`; 0 without wrk or when it fails. `dir` holds its script.
inline double wrk_post_rate(coordinator_process& fleet, const std::string& path,
                            const std::string& body, int in_flight, int seconds,
                            const std::filesystem::path& dir) {
  auto script = dir / "post.lua";
  std::ofstream{script} << "wrk.method = \"POST\"\nwrk.body = '" << body
                        << "'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                        << "wrk.headers[\"Authorization\"] = \"Bearer " << fleet.token() << "\"\n";
  auto command = "wrk -t" + std::to_string(std::min(2, in_flight)) + " -c"
                 + std::to_string(in_flight) + " -d" + std::to_string(seconds) + "s -s "
                 + script.string() + " " + fleet.url() + path + " 2>/dev/null";
  auto* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr)
    return 0;
  double rate = 0;
  bool refused = false;
  char line[512];
  while (std::fgets(line, sizeof(line), pipe) != nullptr) {
    std::string text = line;
    if (text.rfind("Requests/sec:", 0) == 0)
      rate = std::atof(text.c_str() + 13);
    if (text.find("Non-2xx") != std::string::npos)
      refused = true;
  }
  return pclose(pipe) == 0 && !refused ? rate : 0;
}

/// xui-fleet: `POST /api/v1/clients` for every user, `in_flight` at a time.
inline row_figures fleet_row(fake_control& control, pid_t panels_pid, coordinator_process& fleet,
                             size_t servers, int users, int in_flight, const std::string& prefix,
                             int64_t first_user_id) {
  auto panels = panel_names(servers);
  std::vector<std::string> placed(static_cast<size_t>(users));
  auto calls0 = add_calls_so_far(control, panels);
  auto metric0 = fleet.metric_sum("xui_fleet_panel_calls_total");
  auto cpu0 = fleet.cpu_seconds();
  cpu_meter meter{panels_pid};
  meter.start();
  auto f = api_load(
      users, in_flight,
      [&](int i) {
        http_request req;
        req.method = "POST";
        req.url = fleet.url() + "/api/v1/clients";
        req.body = nlohmann::json{{"user_id", std::to_string(first_user_id + i)},
                                  {"email", prefix + std::to_string(i)}}
                       .dump();
        req.headers = {fleet.authorization(), "Content-Type: application/json"};
        req.timeout = std::chrono::milliseconds{60'000};
        return req;
      },
      [&](int i, const http_response& r) {
        auto why = unexpected(r, 201);
        if (why.empty()) {
          auto body = nlohmann::json::parse(r.body, nullptr, false);
          auto id = body.is_object() ? body["server_id"] : nlohmann::json{};
          placed[static_cast<size_t>(i)] = "p"
                                           + (id.is_string()   ? id.get<std::string>()
                                              : id.is_number() ? id.dump()
                                                               : "?");
        }
        return why;
      });
  auto cpu = fleet.cpu_seconds() - cpu0;
  meter.stop();
  auto row = row_of(f, users);
  meter.fill(row);
  row.add_calls = add_calls_so_far(control, panels) - calls0;
  row.metric_calls = fleet.metric_sum("xui_fleet_panel_calls_total") - metric0;
  row.cpu_us_per_create = users > 0 ? cpu * 1e6 / users : 0;
  std::vector<std::pair<std::string, std::string>> acked;
  for (int i = 0; i < users; ++i)
    if (!placed[static_cast<size_t>(i)].empty())
      acked.emplace_back(prefix + std::to_string(i), placed[static_cast<size_t>(i)]);
  count_losses(control, panels, prefix, acked, row);
  return row;
}

} // namespace fleet::bench
