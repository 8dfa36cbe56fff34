// The HTTP server over real loopback sockets: answers from other threads, the 500 for a
// request nobody answers, keep-alive, 100-continue, refusals, query decoding and streams.

#include "coordinator/api/http/http_server.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>

#include <arpa/inet.h>
#include <atomic>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace fleet;
using namespace std::chrono_literals;

namespace {

server_response text(int status, std::string body) {
  return {status, "text/plain", std::move(body), {}};
}

http_server_options with_body_limit(http_server_options options, size_t max_body) {
  options.max_body = max_body;
  return options;
}

/// A server on a free port whose handler is `handle`; refusals say their status.
struct test_server {
  std::atomic<int> answered{0};
  http_server server;

  explicit test_server(http_handler handle, size_t max_body = 1024,
                       http_server_options options
                       = {"127.0.0.1", 0, 2, 0, std::chrono::seconds{5}})
      : server{with_body_limit(options, max_body), std::move(handle),
               [](int status) { return text(status, "refused " + std::to_string(status)); },
               [this](const std::string&, const std::string&, int) { ++answered; }} {
    REQUIRE_FALSE(server.start());
  }

  httplib::Client client() const {
    httplib::Client c{"127.0.0.1", server.port()};
    c.set_read_timeout(5, 0);
    return c;
  }
};

/// Sends `raw` on a new connection and returns everything read until the server closes it
/// or `enough` says so (or 5 s pass).
std::string exchange(int port, const std::string& raw,
                     const std::function<bool(const std::string&)>& enough = {}) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  REQUIRE(send(fd, raw.data(), raw.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(raw.size()));
  std::string got;
  char buf[4096];
  while (!(enough && enough(got))) {
    auto n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0)
      break;
    got.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return got;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("a handler may answer later from another thread", "[api][http]") {
  test_server t{[](server_request& req, responder reply) {
    std::thread{[reply, body = req.body] {
      std::this_thread::sleep_for(20ms);
      reply(text(201, "got " + body));
    }}.detach();
  }};
  auto r = t.client().Post("/later", "abc", "text/plain");
  REQUIRE(r);
  CHECK(r->status == 201);
  CHECK(r->body == "got abc");
}

TEST_CASE("a request nobody answers gets a 500, not a hang", "[api][http]") {
  test_server t{[](server_request&, responder) {}};
  auto r = t.client().Get("/forgotten");
  REQUIRE(r);
  CHECK(r->status == 500);
  CHECK(r->body == "refused 500");
}

TEST_CASE("a handler that throws costs its request a 500 and nothing else", "[api][http]") {
  test_server t{[](server_request& req, responder reply) {
    if (req.path == "/throw")
      throw std::runtime_error{"boom"};
    reply(text(200, "fine"));
  }};
  auto c = t.client();
  auto thrown = c.Get("/throw");
  REQUIRE(thrown);
  CHECK(thrown->status == 500);
  CHECK(thrown->body == "refused 500");
  auto after = c.Get("/fine");
  REQUIRE(after);
  CHECK(after->status == 200);
  CHECK(after->body == "fine");
}

TEST_CASE("only the first answer counts", "[api][http]") {
  test_server t{[](server_request&, responder reply) {
    reply(text(200, "first"));
    reply(text(500, "second"));
  }};
  auto c = t.client();
  for (int i = 0; i < 3; ++i) {
    auto r = c.Get("/twice");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "first");
  }
}

TEST_CASE("connections are kept alive across requests", "[api][http]") {
  test_server t{[](server_request& req, responder reply) { reply(text(200, req.path)); }};
  auto got = exchange(t.server.port(),
                      "GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(has(got, "/one"));
  CHECK(has(got, "/two"));
  CHECK(has(got, "/three"));
  CHECK(t.answered == 3);
}

TEST_CASE("path and query arrive decoded", "[api][http]") {
  server_request seen;
  test_server t{[&seen](server_request& req, responder reply) {
    seen = req;
    reply(text(200, "ok"));
  }};
  // Raw, so that no client library re-encodes the target.
  exchange(t.server.port(), "GET /api/v1/clients/user%4042?user_id=a+b&after=x%2Fy&flag "
                            "HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(seen.method == "GET");
  CHECK(seen.path == "/api/v1/clients/user@42");
  REQUIRE(seen.query_value("user_id") != nullptr);
  CHECK(*seen.query_value("user_id") == "a b");
  CHECK(*seen.query_value("after") == "x/y");
  CHECK(seen.query_value("flag") != nullptr);
  CHECK(seen.query_value("nope") == nullptr);
  REQUIRE(seen.header("HOST") != nullptr);
}

TEST_CASE("Expect: 100-continue gets the go-ahead before the body", "[api][http]") {
  test_server t{[](server_request& req, responder reply) {
    reply(text(200, "len " + std::to_string(req.body.size())));
  }};
  auto got = exchange(t.server.port(), "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                                       "Expect: 100-continue\r\nConnection: close\r\n\r\nhello");
  CHECK(got.rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
  CHECK(has(got, "200 OK"));
  CHECK(has(got, "len 5"));
}

TEST_CASE("a body over the limit is refused with 413 before it is read", "[api][http]") {
  std::atomic<int> handled{0};
  test_server t{[&handled](server_request&, responder reply) {
                  ++handled;
                  reply(text(200, "ok"));
                },
                16};
  auto declared = exchange(t.server.port(), "POST /big HTTP/1.1\r\nHost: x\r\n"
                                            "Content-Length: 100000\r\n\r\n"
                                                + std::string(20000, 'x'));
  CHECK(has(declared, "413"));
  CHECK(has(declared, "refused 413"));
  auto chunked = exchange(t.server.port(), "POST /big HTTP/1.1\r\nHost: x\r\n"
                                           "Transfer-Encoding: chunked\r\n\r\n"
                                           "20\r\n"
                                               + std::string(32, 'y') + "\r\n0\r\n\r\n");
  CHECK(has(chunked, "refused 413"));
  CHECK(handled == 0);
}

TEST_CASE("a malformed request gets a 400 and the connection closes", "[api][http]") {
  test_server t{[](server_request&, responder reply) { reply(text(200, "ok")); }};
  CHECK(has(exchange(t.server.port(), "NOT HTTP AT ALL\r\n\r\n"), "refused 400"));
  CHECK(has(exchange(t.server.port(), "GET /x HTTP/1.1\r\nBad Header\r\n\r\n"), "refused 400"));
}

TEST_CASE("a stream sends chunks as they come, idles with its idle chunk, and ends",
          "[api][http]") {
  test_server t{[](server_request&, responder reply) {
    auto n = std::make_shared<int>(0);
    reply.stream({200, "text/event-stream", "", {{"Cache-Control", "no-cache"}}},
                 [n](std::function<void(std::optional<std::string>)> deliver) {
                   auto k = ++*n;
                   // From another thread and later, like the event feed's wake-ups.
                   std::thread{[deliver, k] {
                     std::this_thread::sleep_for(k == 2 ? 300ms : 10ms);
                     if (k == 1)
                       deliver("data: one\n\n");
                     else if (k == 2)
                       deliver(std::string{}); // nothing yet
                     else if (k == 3)
                       deliver("data: two\n\n");
                     else
                       deliver(std::nullopt);
                   }}.detach();
                 },
                 {": idle\n\n", 100ms});
  }};
  std::string body;
  auto r = t.client().Get("/stream", [&](const char* data, size_t len) {
    body.append(data, len);
    return true;
  });
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "text/event-stream");
  CHECK(r->get_header_value("Cache-Control") == "no-cache");
  auto one = body.find("data: one");
  auto idle = body.find(": idle");
  auto two = body.find("data: two");
  CHECK(one != std::string::npos);
  CHECK(idle != std::string::npos);
  CHECK(two != std::string::npos);
  CHECK(one < idle);
  CHECK(idle < two);
}

TEST_CASE("a request that does not arrive within the request timeout is closed, an idle "
          "connection is not",
          "[api][http]") {
  http_server_options options{"127.0.0.1", 0, 2, 0, std::chrono::seconds{30}};
  options.request_timeout = 300ms;
  test_server t{[](server_request&, responder reply) { reply(text(200, "ok")); }, 1024, options};
  auto started = std::chrono::steady_clock::now();
  // A head that never ends, and a body shorter than its length: closed without an answer
  // long before the 5 s the client waits (the idle timeout is 30 s).
  CHECK(exchange(t.server.port(), "GET /x HTTP/1.1\r\nHost: a\r\n").empty());
  CHECK(exchange(t.server.port(), "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 50\r\n\r\n{")
            .empty());
  CHECK(std::chrono::steady_clock::now() - started < 4s);
  // Silent for longer than the request timeout, then a whole request: answered.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(t.server.port()));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  std::this_thread::sleep_for(800ms);
  std::string get = "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
  REQUIRE(send(fd, get.data(), get.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(get.size()));
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  std::string got;
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof(buf), 0)) > 0;)
    got.append(buf, static_cast<size_t>(n));
  close(fd);
  CHECK(has(got, "HTTP/1.1 200"));
}

TEST_CASE("a port in use is an error naming the address", "[api][http]") {
  test_server first{[](server_request&, responder reply) { reply(text(200, "ok")); }};
  http_server second{{"127.0.0.1", first.server.port(), 1, 1024, std::chrono::seconds{5}},
                     [](server_request&, responder) {},
                     [](int status) { return text(status, ""); },
                     {}};
  auto err = second.start();
  REQUIRE(err);
  CHECK(has(message_of(err), "127.0.0.1:" + std::to_string(first.server.port())));
}
