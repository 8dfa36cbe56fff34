#pragma once

// How the HTTP server turns what Beast parsed into the request its handlers see: the target
// split into a decoded path and query, the method, the headers and the body.

#include "coordinator/api/http/http_message.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string_view>

namespace fleet {

/// A request as Beast's parser hands it over.
using parsed_request = boost::beast::http::request<boost::beast::http::string_body>;

/// Fills in the path and query of `out` from a request target; false when the target is not
/// an origin-form ("/path?query") URL.
[[nodiscard]] bool read_target(std::string_view target, server_request& out);

/// Fills in method, path, query, headers and body of `out` from `message` (whose body it
/// takes); false when the target is not an origin-form URL (the server answers 400).
[[nodiscard]] bool read_request(parsed_request& message, server_request& out);

} // namespace fleet
