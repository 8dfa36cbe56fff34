#pragma once

// A small event-driven HTTP/1.1 server: a few threads, each running its own event loop, with
// connections spread over them and kept alive. Handlers get a parsed request and a responder
// they may answer through later, from any thread.

#include "common/error.hpp"
#include "coordinator/api/http/responder.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace fleet {

struct http_server_options {
  std::string host = "127.0.0.1";
  /// 0 picks a free port.
  int port = 0;
  /// Event loops (threads).
  size_t loops = 2;
  /// Largest accepted request body; a larger one is refused with 413.
  size_t max_body = 1 << 20;
  /// A kept-alive connection idle this long is closed; also bounds writing one answer.
  std::chrono::seconds idle_timeout{60};
  /// From a request's first byte, its head and body must arrive within this, or the
  /// connection is closed (a client that sends a byte a minute holds nothing for long).
  std::chrono::milliseconds request_timeout{10'000};
};

/// Handles one request; runs on the connection's event loop and must not block it.
using http_handler = std::function<void(server_request& request, responder reply)>;

/// Builds the answer to a request the server refuses itself (400 malformed, 413 too large) or
/// that no handler answered (500).
using http_refusal = std::function<server_response(int status)>;

/// Called on the event loop after each answer is written (or a stream started).
using http_answered
    = std::function<void(const std::string& method, const std::string& path, int status)>;

/// Lifecycle: `start` binds and starts the loops; `halt` stops them and joins their threads;
/// `stop` (or destruction) halts and closes every connection. Whatever may still put work on a
/// loop from another thread must be gone before `halt`. Not thread-safe itself, except `post`.
class http_server {
public:
  http_server(http_server_options options, http_handler handler, http_refusal refusal,
              http_answered answered);
  ~http_server();

  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds `host:port`; fails with `io_error` naming the address when it cannot.
  [[nodiscard]] caf::error start();

  void halt();
  void stop();

  /// Runs `work` on event loop `loop` (from any thread); dropped once the server halts.
  void post(size_t loop, std::function<void()> work);

  /// The port actually bound (after `start`).
  [[nodiscard]] int port() const noexcept;

  [[nodiscard]] size_t loops() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace fleet
