#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fleet {

/// One HTTP request of a panel session.
struct http_request {
  std::string method = "GET";
  /// Absolute URL, e.g. "http://127.0.0.1:2053/base/panel/api/inbounds/list".
  std::string url;
  /// "Name: value" lines.
  std::vector<std::string> headers;
  std::string body;
  std::chrono::milliseconds timeout{10'000};
};

/// The outcome of one transfer. `transport_code` is 0 when an HTTP answer arrived; otherwise
/// it is the libcurl code and `transport_error` says what failed (no secrets in it).
struct http_response {
  int transport_code = 0;
  std::string transport_error;
  long status = 0;
  std::string body;
  /// Value of the Content-Type header.
  std::string content_type;
  std::chrono::microseconds elapsed{0};
  /// Connections this transfer had to open (0 when it reused one).
  long new_connections = 0;
};

/// TLS settings of one session.
struct http_tls {
  std::string ca_file;
  std::string pinned_pubkey;
  bool insecure_skip_verify = false;
};

/// Counters of an engine since it started.
struct http_engine_stats {
  uint64_t requests = 0;
  uint64_t connections_opened = 0;
};

/// Asynchronous HTTP client for many panels on one I/O thread (libcurl multi): keep-alive
/// connections shared by all sessions, one cookie jar per session, per-request timeouts.
///
/// Thread-safety: every public method may be called from any thread. Completions and posted
/// functions run on the I/O thread, in order, and must return quickly (hand results to an
/// actor, never block). Requests of one session run one at a time, in submission order.
/// Lifecycle: the destructor cancels what is pending (without calling back) and joins.
class http_engine {
public:
  using session_id = uint64_t;
  using completion = std::function<void(http_response)>;

  /// Starts the I/O thread. `max_host_connections` caps parallel connections per host:port.
  explicit http_engine(long max_host_connections = 16);
  ~http_engine();

  http_engine(const http_engine&) = delete;
  http_engine& operator=(const http_engine&) = delete;

  /// Opens a session with its own cookie jar.
  [[nodiscard]] session_id open_session(http_tls tls = {});

  /// Closes a session; requests still queued for it are dropped without a completion.
  void close_session(session_id id);

  /// Queues `request` on session `id`; `done` runs on the I/O thread when it completes.
  void submit(session_id id, http_request request, completion done);

  /// Runs `fn` on the I/O thread.
  void post(std::function<void()> fn);

  [[nodiscard]] http_engine_stats stats() const;

  /// Number of threads the engine runs (always 1), for benchmarks.
  [[nodiscard]] static constexpr int threads() { return 1; }

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace fleet
