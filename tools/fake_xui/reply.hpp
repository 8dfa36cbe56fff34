#pragma once

#include "tools/fake_xui/fake_panel.hpp"

#include <httplib.h>

#include <optional>
#include <string>
#include <vector>

namespace fleet::fake {

/// Writes the panel's `{"success","msg","obj"}` envelope with HTTP 200.
void reply_envelope(httplib::Response& res, bool success, const std::string& msg,
                    ojson obj = nullptr);

/// Writes a bare status with an empty body (404, 403, 401, 500 of the reference).
void reply_empty(httplib::Response& res, int status);

/// Reads a request field the way gin's ShouldBind does: from a JSON body when the content
/// type is JSON, else from the form (urlencoded or multipart).
[[nodiscard]] std::optional<nlohmann::json> body_field(const httplib::Request& req,
                                                       const std::string& name);

/// Whether the request body is JSON.
[[nodiscard]] bool is_json(const httplib::Request& req);

/// Splits "a/b/c" into {"a", "b", "c"}.
[[nodiscard]] std::vector<std::string> split_path(const std::string& path);

/// Matches `parts` against a pattern like "panel/api/inbounds/:id/delClient/:key"; fills
/// `args` with the ":x" segments in order.
[[nodiscard]] bool match(const std::vector<std::string>& parts, const char* pattern,
                         std::vector<std::string>& args);

/// Parses a decimal inbound id; `std::nullopt` if it is not one.
[[nodiscard]] std::optional<int64_t> parse_id(const std::string& text);

} // namespace fleet::fake
