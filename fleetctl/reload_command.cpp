#include "fleetctl/reload_command.hpp"

#include <ostream>

#include "fleetctl/commands.hpp"

namespace fleet::ctl {

namespace {

using json = nlohmann::json;

std::string joined(const json& ids) {
  std::string out;
  for (const auto& id : ids)
    out += (out.empty() ? "" : ", ") + text(id);
  return out.empty() ? "-" : out;
}

} // namespace

int reload(context& c) {
  auto r = c.api.post("/api/v1/admin/reload", json::object());
  if (failed_with(c, r)) {
    // The file's problems, as --check-config prints them.
    const auto& details = field_of(field_of(r.body, "error"), "details");
    for (const auto& p : field_of(details, "problems"))
      c.err << text(p["level"]) << ": " << text(details["file"]) << ": " << text(p["field"]) << ": "
            << text(p["reason"]) << '\n';
    return failed;
  }
  return show(c, r.body, [&] {
    const auto& changes = r.body["changes"];
    const auto& servers = changes["servers"];
    c.out << (r.body.value("reloaded", false) ? "reloaded " : "nothing to reload in ")
          << text(r.body["file"]) << '\n';
    c.out << "servers added: " << joined(servers["added"])
          << "; removed: " << joined(servers["removed"]) << "; changed: ";
    std::string changed;
    for (const auto& s : servers["changed"])
      changed += (changed.empty() ? "" : ", ") + text(s["id"]) + " (" + joined(s["fields"]) + ")";
    c.out << (changed.empty() ? "-" : changed) << '\n';
    const auto& tokens = changes["api_tokens"];
    c.out << "api tokens added: " << text(tokens["added"])
          << ", removed: " << text(tokens["removed"]) << ", changed: " << text(tokens["changed"])
          << '\n';
    for (const auto& why : changes["restart_required"])
      c.out << "not applied: " << text(why) << '\n';
    for (const auto& why : r.body["warnings"])
      c.out << "warning: " << text(why) << '\n';
  });
}

} // namespace fleet::ctl
