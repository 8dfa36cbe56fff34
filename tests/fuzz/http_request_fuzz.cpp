// Bytes a client sends to the API's HTTP server: Beast's request parser with the server's
// limits, then the request as handlers see it (decoded path, query, headers, body).
#include "coordinator/api/http/http_server.hpp"
#include "coordinator/api/http/request_head.hpp"
#include "tests/fuzz/fuzz_input.hpp"

#include <boost/beast/http/parser.hpp>

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(fleet::http_server_options{}.max_body);
  parser.eager(true);
  boost::beast::error_code ec;
  boost::asio::const_buffer rest{data, size};
  while (rest.size() > 0 && !parser.is_done()) {
    auto used = parser.put(rest, ec);
    if (ec == bhttp::error::need_more)
      break;
    if (ec)
      return 0;
    if (used == 0)
      break;
    rest += used;
  }
  // The connection closes here: as Beast's read does, an empty stream is just closed, and
  // one that sent something ends its message.
  if (!parser.is_done()) {
    if (!parser.got_some())
      return 0;
    parser.put_eof(ec);
    if (ec || !parser.is_done())
      return 0;
  }
  auto message = parser.release();
  (void)message.keep_alive();
  fleet::server_request request;
  if (!fleet::read_request(message, request))
    return 0;
  (void)request.header("Content-Type");
  (void)request.query_value("limit");
  return 0;
}
