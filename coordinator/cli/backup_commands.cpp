#include "coordinator/cli/backup_commands.hpp"

#include "common/time_format.hpp"
#include "coordinator/store/backup_worker.hpp"
#include "coordinator/store/store.hpp"

#include <chrono>
#include <filesystem>

#include "fleetctl/api_client.hpp"
#include "fleetctl/command_context.hpp"

namespace fleet {

namespace {

namespace fs = std::filesystem;

using nlohmann::json;

json counts_json(const record_counts& x) {
  return {{"servers", x.servers},
          {"clients", x.clients},
          {"intents", x.intents},
          {"events", x.events},
          {"ledger", x.ledger}};
}

std::string counts_line(const json& x) {
  auto n = [&](const char* key) { return ctl::text(ctl::field_of(x, key)); };
  return "servers " + n("servers") + ", clients " + n("clients") + ", open intents " + n("intents")
         + ", events " + n("events") + ", ledger entries " + n("ledger");
}

std::string time_of(int64_t ms) {
  return to_rfc3339(wall_time{std::chrono::milliseconds{ms}});
}

std::string absolute(const std::string& dir) {
  std::error_code ignored;
  auto p = fs::absolute(dir, ignored).lexically_normal();
  return (p.has_filename() ? p : p.parent_path()).string();
}

/// An answer of a backup (`to_json(backup_result)`), for people.
void describe(std::ostream& out, const json& x) {
  out << "backup " << ctl::text(ctl::field_of(x, "backup_id")) << " in "
      << ctl::text(ctl::field_of(x, "dir")) << ": " << ctl::human_bytes(ctl::field_of(x, "size"))
      << " in " << ctl::text(ctl::field_of(x, "files")) << " files, taken in "
      << ctl::text(ctl::field_of(x, "took_ms")) << " ms\n"
      << "  " << counts_line(x) << " (as the backup began)\n"
      << "  backups in the directory now: " << ctl::text(ctl::field_of(x, "kept")) << '\n';
  if (const auto& purge = ctl::field_of(x, "purge_error"); purge.is_string())
    out << "  warning: older backups could not be deleted: " << purge.get<std::string>() << '\n';
}

/// The URL of the API of the coordinator listening on `listen`, seen from this machine.
std::optional<std::string> api_url(const std::string& listen) {
  auto address = parse_host_port(listen);
  if (!address || address->port == 0)
    return std::nullopt;
  auto host = address->host;
  if (host.empty() || host == "0.0.0.0")
    host = "127.0.0.1";
  else if (host == "::" || host == "[::]")
    host = "[::1]";
  else if (host.find(':') != std::string::npos && host.front() != '[')
    host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(address->port);
}

/// Asks the coordinator that holds `data_dir` to take the backup.
int ask_daemon(std::ostream& out, std::ostream& err, const fleet_config& config,
               const env_lookup& env, const std::string& data_dir, const std::string& dir,
               std::optional<uint32_t> keep) {
  const auto& c = config.coordinator;
  auto url = api_url(c.listen);
  if (!url) {
    err << "fleet-coordinator: data dir " << data_dir
        << " is in use by a running coordinator, but coordinator.listen (" << c.listen
        << ") names no port to reach its API at; back up through the API "
           "(POST /api/v1/admin/backup) or configure a fixed port\n";
    return 1;
  }
  auto token = env("FLEET_API_TOKEN").value_or("");
  // A read-only token may not take backups.
  for (const auto& t : c.api_tokens)
    if (token.empty() && t.role == token_role::admin)
      token = t.token;
  if (token.empty()) {
    err << "fleet-coordinator: data dir " << data_dir
        << " is in use by a running coordinator, and there is no API token to ask it with; set "
           "FLEET_API_TOKEN or an admin token in coordinator.api_tokens\n";
    return 1;
  }
  out << "data dir " << data_dir << " is in use by the running coordinator; asking it at " << *url
      << " to take the backup (it goes on running)\n";
  json body{{"dir", dir}};
  if (keep)
    body["keep"] = *keep;
  ctl::api_client api{*url, token};
  auto answer = api.post("/api/v1/admin/backup", body);
  if (answer.error) {
    err << "fleet-coordinator: the running coordinator took no backup: " << answer.error->message
        << '\n';
    return 1;
  }
  describe(out, answer.body);
  return 0;
}

} // namespace

int run_backup(std::ostream& out, std::ostream& err, const fleet_config& config,
               const env_lookup& env, const std::string& data_dir, const std::string& dir,
               std::optional<uint32_t> keep) {
  if (!holds_store(data_dir)) {
    err << "fleet-coordinator: there is no store in data dir " << data_dir
        << ", so nothing to back up; check --data-dir and coordinator.data_dir\n";
    return 1;
  }
  auto target = absolute(dir);
  auto opened = store::open(data_dir);
  if (!opened && code_of(opened.error()) == ec::conflict)
    return ask_daemon(out, err, config, env, data_dir, target, keep);
  if (!opened) {
    err << "fleet-coordinator: " << message_of(opened.error()) << '\n';
    return 1;
  }
  const auto& schedule = config.coordinator.backup;
  auto same_dir = !schedule.dir.empty() && absolute(schedule.dir) == target;
  auto kept = keep ? *keep : (same_dir ? static_cast<uint32_t>(schedule.keep) : 0U);
  out << "no coordinator runs on data dir " << data_dir << "; taking the backup itself\n";
  auto result = (*opened)->back_up(target, kept);
  if (!result) {
    err << "fleet-coordinator: " << message_of(result.error()) << '\n';
    return 1;
  }
  describe(out, to_json(*result));
  return 0;
}

int run_restore(std::ostream& out, std::ostream& err, const std::string& dir, uint32_t id,
                const std::string& data_dir) {
  auto restored = restore_backup(dir, id, data_dir);
  if (!restored) {
    err << "fleet-coordinator: " << message_of(restored.error()) << '\n';
    return 1;
  }
  out << "restored backup " << restored->id << " of " << absolute(dir) << " (taken "
      << time_of(restored->time_ms) << ") into " << data_dir << '\n';
  auto opened = store::open(data_dir);
  auto counts = opened ? (*opened)->count_records() : caf::expected<record_counts>{opened.error()};
  if (!counts) {
    err << "fleet-coordinator: the restored store cannot be read: " << message_of(counts.error())
        << '\n';
    return 1;
  }
  out << "  " << counts_line(counts_json(*counts)) << '\n';
  if (counts->intents > 0)
    out << "  the open intents are resolved by asking their panels when a coordinator starts on "
        << data_dir << '\n';
  return 0;
}

int run_verify_backup(std::ostream& out, std::ostream& err, const std::string& dir, uint32_t id) {
  auto checked = check_backup(dir, id);
  if (!checked) {
    err << "fleet-coordinator: " << message_of(checked.error()) << '\n';
    return 1;
  }
  const auto& b = checked->backup;
  out << "backup " << b.id << " of " << absolute(dir) << " (taken " << time_of(b.time_ms)
      << ") is sound: " << b.files << " files, " << ctl::human_bytes(b.size)
      << ", sizes and checksums match\n"
      << "  restored copy: " << counts_line(counts_json(checked->counts)) << '\n'
      << "  backups there:";
  for (const auto& x : checked->all)
    out << ' ' << x.id;
  out << '\n';
  return 0;
}

} // namespace fleet
