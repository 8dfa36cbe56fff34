#include "coordinator/metrics/fleet_metrics.hpp"

#include <sstream>

namespace fleet {

namespace {

/// Escapes a label value (backslash, quote, newline).
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void family(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << '\n' << "# TYPE " << name << ' ' << type << '\n';
}

} // namespace

std::string render_metrics(const fleet_metrics& m, const std::vector<server_view>& servers,
                           bool panic, const std::map<std::string, bool>& agents) {
  std::ostringstream out;
  auto per_server = [&](const char* name, const char* type, const char* help, auto value) {
    family(out, name, type, help);
    for (const auto& s : servers)
      out << name << "{server=\"" << label(s.health.server_id) << "\"} " << value(s) << '\n';
  };
  per_server("xui_fleet_server_up", "gauge", "1 when the server is healthy.",
             [](const server_view& s) { return s.health.is_healthy ? 1 : 0; });
  family(out, "xui_fleet_server_state", "gauge",
         "1 for the state the server is in (unknown, healthy, unhealthy, draining, disabled, "
         "unreachable).");
  for (const auto& s : servers)
    out << "xui_fleet_server_state{server=\"" << label(s.health.server_id) << "\",state=\""
        << to_string(s.health.state) << "\"} 1\n";
  per_server("xui_fleet_server_load_ratio", "gauge", "Active clients / max_clients.",
             [](const server_view& s) { return s.health.current_load; });
  per_server("xui_fleet_server_clients", "gauge", "Clients on the panel.",
             [](const server_view& s) { return s.stats.total_clients; });
  per_server("xui_fleet_server_active_clients", "gauge",
             "Clients enabled, not expired, not over quota.",
             [](const server_view& s) { return s.stats.active_clients; });
  per_server("xui_fleet_server_online_clients", "gauge", "Clients connected now.",
             [](const server_view& s) { return s.stats.online_clients; });
  per_server("xui_fleet_server_transferred_bytes", "gauge",
             "Bytes the server carried for the fleet's clients (from the ledger).",
             [](const server_view& s) { return s.stats.bytes_transferred; });
  family(out, "xui_fleet_server_bytes_total", "counter",
         "Bytes the server carried for the fleet's clients by direction; survives restarts and "
         "panel counter resets.");
  for (const auto& [id, bytes] : m.carried)
    out << "xui_fleet_server_bytes_total{server=\"" << label(id) << "\",direction=\"up\"} "
        << bytes.up << '\n'
        << "xui_fleet_server_bytes_total{server=\"" << label(id) << "\",direction=\"down\"} "
        << bytes.down << '\n';
  family(out, "xui_fleet_foreign_clients", "gauge",
         "Clients on the panel the fleet does not know (never charged to anyone).");
  for (const auto& [id, n] : m.foreign)
    out << "xui_fleet_foreign_clients{server=\"" << label(id) << "\"} " << n << '\n';
  per_server("xui_fleet_server_response_time_seconds", "gauge",
             "Duration of the last health check.", [](const server_view& s) {
               return static_cast<double>(s.health.response_time.count()) / 1000.0;
             });
  per_server("xui_fleet_server_check_errors_total", "counter", "Failed health checks.",
             [](const server_view& s) { return s.health.error_count; });
  per_server("xui_fleet_server_availability_ratio", "gauge",
             "Share of passed checks over the last 24 h.",
             [](const server_view& s) { return s.health.availability; });
  family(out, "xui_fleet_panic", "gauge", "1 while too few servers are healthy (panic mode).");
  out << "xui_fleet_panic " << (panic ? 1 : 0) << '\n';
  if (!agents.empty()) {
    family(out, "xui_fleet_agent_connected", "gauge",
           "1 while the agent is connected and registered.");
    for (const auto& [id, connected] : agents)
      out << "xui_fleet_agent_connected{agent=\"" << label(id) << "\"} " << (connected ? 1 : 0)
          << '\n';
  }
  family(out, "xui_fleet_store_writable", "gauge",
         "1 while the state store can write; 0 while mutations answer 503 store_unavailable.");
  out << "xui_fleet_store_writable " << (m.store_writable ? 1 : 0) << '\n';
  family(out, "xui_fleet_store_outages_total", "counter",
         "Times the state store stopped writing (disk full, read-only or failing).");
  out << "xui_fleet_store_outages_total " << m.store_outages << '\n';
  family(out, "xui_fleet_store_memtable_bytes", "gauge",
         "Bytes the state store holds in memory before flushing them to its table files; it "
         "grows with writes and drops at each flush.");
  out << "xui_fleet_store_memtable_bytes " << m.store_memtable_bytes << '\n';
  family(out, "xui_fleet_selections_total", "counter", "Selections by strategy and outcome.");
  for (const auto& [key, n] : m.selections)
    out << "xui_fleet_selections_total{strategy=\"" << label(key.first) << "\",outcome=\""
        << label(key.second) << "\"} " << n << '\n';
  family(out, "xui_fleet_panel_calls_total", "counter",
         "Client operations sent to panels by operation and result.");
  for (const auto& [key, n] : m.panel_calls)
    out << "xui_fleet_panel_calls_total{operation=\"" << label(key.first) << "\",result=\""
        << label(key.second) << "\"} " << n << '\n';
  family(out, "xui_fleet_health_checks_total", "counter", "Health checks by verdict.");
  for (const auto& [verdict, n] : m.checks)
    out << "xui_fleet_health_checks_total{verdict=\"" << label(verdict) << "\"} " << n << '\n';
  family(out, "xui_fleet_evacuated_clients_total", "counter",
         "Clients moved off failing or evacuated servers.");
  out << "xui_fleet_evacuated_clients_total " << m.moved_clients << '\n';
  family(out, "xui_fleet_evacuation_pending_clients", "gauge",
         "Clients waiting to be moved by evacuations under way.");
  out << "xui_fleet_evacuation_pending_clients " << m.pending_moves << '\n';
  family(out, "xui_fleet_stale_copies", "gauge",
         "Copies of moved clients left on servers and not yet deleted there.");
  out << "xui_fleet_stale_copies " << m.stale_copies << '\n';
  family(out, "xui_fleet_events_total", "counter", "Events appended to the log by type.");
  for (const auto& [type, n] : m.events)
    out << "xui_fleet_events_total{type=\"" << label(type) << "\"} " << n << '\n';
  return out.str();
}

} // namespace fleet
