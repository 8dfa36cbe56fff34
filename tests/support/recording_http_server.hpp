#pragma once

// A loopback HTTP server that records every request and answers as told: the receiving end
// of webhooks and the fake Telegram Bot API in tests. It can stop and come back on the same
// port (a receiver that is down for a while).

#include <httplib.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fleet::test {

/// One request as the server saw it.
struct recorded_request {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;
  std::string body;
};

class recording_http_server {
public:
  /// Answers `(status, body)` to a request; by default 200 with `{"ok":true}`.
  using answer_fn = std::function<std::pair<int, std::string>(const recorded_request&)>;

  recording_http_server() = default;
  ~recording_http_server() { stop(); }

  recording_http_server(const recording_http_server&) = delete;
  recording_http_server& operator=(const recording_http_server&) = delete;

  /// Starts listening on 127.0.0.1:`port` (0 = a free one, then kept for restarts).
  bool start(int port = 0) {
    server_ = std::make_unique<httplib::Server>();
    server_->set_keep_alive_max_count(100);
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      recorded_request r{req.method, req.path, {}, req.body};
      for (const auto& [k, v] : req.headers)
        r.headers[k] = v;
      answer_fn answer;
      {
        std::lock_guard<std::mutex> guard{mtx_};
        answer = answer_;
      }
      auto [status, body] = answer ? answer(r) : std::pair<int, std::string>{200, R"({"ok":true})"};
      {
        std::lock_guard<std::mutex> guard{mtx_};
        (status >= 200 && status < 300 ? accepted_ : refused_).push_back(r);
      }
      res.status = status;
      res.set_content(body, "application/json");
    };
    server_->Post(".*", handler);
    server_->Get(".*", handler);
    if (port == 0)
      port = port_; // a restart comes back where it was
    if (port == 0) {
      port = server_->bind_to_any_port("127.0.0.1");
      if (port <= 0)
        return false;
    } else if (!server_->bind_to_port("127.0.0.1", port)) {
      return false;
    }
    port_ = port;
    thread_ = std::thread{[s = server_.get()] { s->listen_after_bind(); }};
    for (int i = 0; i < 5000 && !server_->is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{1});
    return true;
  }

  void stop() {
    if (!server_)
      return;
    server_->stop();
    if (thread_.joinable())
      thread_.join();
    server_.reset();
  }

  [[nodiscard]] int port() const { return port_; }

  [[nodiscard]] std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  void answer_with(answer_fn answer) {
    std::lock_guard<std::mutex> guard{mtx_};
    answer_ = std::move(answer);
  }

  /// Requests answered 2xx, in arrival order.
  [[nodiscard]] std::vector<recorded_request> accepted() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return accepted_;
  }

  /// Requests answered otherwise.
  [[nodiscard]] std::vector<recorded_request> refused() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return refused_;
  }

private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mtx_;
  answer_fn answer_;
  std::vector<recorded_request> accepted_;
  std::vector<recorded_request> refused_;
};

} // namespace fleet::test
