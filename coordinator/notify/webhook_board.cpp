#include "coordinator/notify/webhook_board.hpp"

#include "common/time_format.hpp"

namespace fleet {

namespace {

nlohmann::json time_or_null(int64_t ms) {
  if (ms == 0)
    return nullptr;
  return to_rfc3339(wall_time{std::chrono::milliseconds{ms}});
}

/// `text` as a Prometheus label value.
std::string label_value(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"')
      out.push_back('\\');
    out.push_back(c == '\n' ? ' ' : c);
  }
  return out;
}

} // namespace

size_t webhook_board::add(webhook_status initial) {
  std::lock_guard<std::mutex> guard{mtx_};
  rows_.push_back(std::move(initial));
  return rows_.size() - 1;
}

void webhook_board::update(size_t index, const std::function<void(webhook_status&)>& change) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (index < rows_.size())
    change(rows_[index]);
}

std::vector<webhook_status> webhook_board::snapshot() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return rows_;
}

uint64_t webhook_board::latest() const {
  return log_ != nullptr ? log_->last_event_seq() : 0;
}

nlohmann::json webhook_board::to_json() const {
  auto last = latest();
  auto list = nlohmann::json::array();
  auto rows = snapshot();
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& w = rows[i];
    list.push_back(
        {{"id", i},
         {"url", w.url},
         {"events", w.events},
         {"cursor", w.cursor},
         {"lag", last > w.cursor ? last - w.cursor : 0},
         {"pending_seq", w.pending_seq == 0 ? nlohmann::json{} : nlohmann::json(w.pending_seq)},
         {"attempts", w.attempts},
         {"last_error", w.last_error.empty() ? nlohmann::json{} : nlohmann::json(w.last_error)},
         {"last_error_at", time_or_null(w.last_error_ms)},
         {"last_success_at", time_or_null(w.last_success_ms)},
         {"next_attempt_at", time_or_null(w.next_attempt_ms)},
         {"delivered", w.delivered},
         {"failed", w.failed}});
  }
  return {{"webhooks", list}};
}

std::string webhook_board::metrics_text() const {
  auto rows = snapshot();
  if (rows.empty())
    return {};
  auto last = latest();
  std::string out = "# HELP xui_fleet_webhook_deliveries_total Webhook delivery attempts by "
                    "result.\n# TYPE xui_fleet_webhook_deliveries_total counter\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    auto label = "{webhook=\"" + std::to_string(i) + "\",url=\"" + label_value(rows[i].url) + "\"";
    out += "xui_fleet_webhook_deliveries_total" + label + ",result=\"delivered\"} "
           + std::to_string(rows[i].delivered) + "\n";
    out += "xui_fleet_webhook_deliveries_total" + label + ",result=\"failed\"} "
           + std::to_string(rows[i].failed) + "\n";
  }
  out += "# HELP xui_fleet_webhook_lag_events Events in the log after a webhook's cursor.\n"
         "# TYPE xui_fleet_webhook_lag_events gauge\n";
  for (size_t i = 0; i < rows.size(); ++i)
    out += "xui_fleet_webhook_lag_events{webhook=\"" + std::to_string(i) + "\",url=\"" + rows[i].url
           + "\"} " + std::to_string(last > rows[i].cursor ? last - rows[i].cursor : 0) + "\n";
  return out;
}

} // namespace fleet
