// Administration: backups of the store taken by the running coordinator.

#include "common/json_reader.hpp"
#include "coordinator/api/api_context.hpp"

#include <filesystem>

namespace fleet {

void add_admin_routes(router& routes, api_context& ctx) {
  // The backup runs on the backup worker's thread, which answers; the event loop goes on.
  routes.post("/api/v1/admin/backup", [&ctx](server_request& req, responder reply) {
    if (ctx.backups == nullptr)
      return reply_error(reply,
                         api_error_of(503, "unavailable", "this coordinator takes no backups"));
    auto body = req.body.empty() ? std::optional<nlohmann::json>{nlohmann::json::object()}
                                 : json_body(req, reply);
    if (!body)
      return;
    field_problems problems;
    json_reader r{*body, "", problems};
    std::string dir;
    std::optional<int64_t> keep;
    r.string("dir", dir);
    r.integer("keep", keep, 1, 1000);
    if (refuse_problems(reply, problems))
      return;
    if (dir.empty())
      dir = ctx.backups->scheduled_dir();
    if (dir.empty())
      return reply_error(reply, api_error_of(400, "invalid_argument",
                                             "dir: missing; name a directory on the "
                                             "coordinator's machine, or configure "
                                             "coordinator.backup.dir"));
    if (!std::filesystem::path{dir}.is_absolute())
      return reply_error(reply, api_error_of(400, "invalid_argument",
                                             "dir: \"" + dir
                                                 + "\" is not an absolute path; the backup is "
                                                   "written by the coordinator, on its machine"));
    std::optional<uint32_t> kept;
    if (keep)
      kept = static_cast<uint32_t>(*keep);
    ctx.backups->request(dir, kept, [reply](const caf::expected<backup_result>& result) {
      if (!result)
        return reply_error(reply, to_api_error(result.error()));
      reply_json(reply, 200, to_json(*result));
    });
  });
}

} // namespace fleet
