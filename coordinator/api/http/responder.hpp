#pragma once

// How a route handler answers: a responder it may keep and call later from any thread, so
// that it never blocks its connection's event loop while it waits for the coordinator.

#include "coordinator/api/http/http_message.hpp"

#include <memory>

namespace fleet {

/// The connection end of a responder, implemented by the HTTP server. Every method may be
/// called from any thread; the connection does the work on its own event loop.
class answer_sink {
public:
  virtual ~answer_sink() = default;
  /// Sends `answer`.
  virtual void answer(server_response answer) = 0;
  /// Sends the server's answer to a request no handler answered (a 500).
  virtual void unanswered() = 0;
  /// Sends `head` (its body ignored) and then the chunks of `source` until it ends.
  virtual void stream(server_response head, chunk_source source, stream_idle idle) = 0;
  /// Runs `work` on the connection's event loop.
  virtual void post(std::function<void()> work) = 0;
  /// Which of the server's event loops the connection is on (0-based).
  [[nodiscard]] virtual size_t loop() const = 0;
};

/// Answers one request exactly once. Copies share the request: the first answer (or stream)
/// is sent and later ones are ignored; when the last copy is gone unanswered, the client
/// gets a 500, never a hang.
class responder {
public:
  explicit responder(std::shared_ptr<answer_sink> sink);

  void operator()(server_response answer) const;
  void stream(server_response head, chunk_source source, stream_idle idle) const;

  /// Runs `work` on the connection's event loop (where handlers run).
  void post(std::function<void()> work) const;
  [[nodiscard]] size_t loop() const;

private:
  struct once;
  std::shared_ptr<once> once_;
};

} // namespace fleet
