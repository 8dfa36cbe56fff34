#pragma once

#include "tools/fake_xui/panel_host.hpp"

#include <memory>
#include <string>
#include <vector>

namespace fleet::fake {

/// Serves emulated panels over HTTP on loopback: any number of panels per port (told apart by
/// base path) on any number of ports, plus a control port for fault injection, traffic and
/// online-client injection and request counters (see README of tools/fake_xui).
///
/// Lifecycle: add panels, `start`, use, `stop` (also on destruction). Control methods are
/// thread-safe.
class fake_server {
public:
  fake_server();
  ~fake_server();

  fake_server(const fake_server&) = delete;
  fake_server& operator=(const fake_server&) = delete;

  /// How long idle keep-alive connections stay open (default 5 s). Taking a port down waits
  /// for its idle connections to time out, so keep it short in tests.
  void set_keep_alive(int seconds);

  /// Most worker threads of each listener (default 1,024; call before `start`), started as
  /// connections need them. Each request in flight and each idle keep-alive connection holds
  /// one; connections past the cap wait for a worker.
  void set_worker_threads(size_t threads);

  /// Adds a panel; call before `start`.
  void add_panel(panel_options options);

  /// Binds every panel port (0 = any free port, resolved into the panel's options) and the
  /// control port, then serves in background threads. Returns an error text on failure.
  [[nodiscard]] std::string start(uint16_t control_port = 0, const std::string& host = "127.0.0.1");

  /// Stops serving and joins all threads.
  void stop();

  [[nodiscard]] uint16_t control_port() const noexcept;

  /// Returns the panel named `name`, or nullptr.
  [[nodiscard]] panel_host* find(const std::string& name);

  /// Stops (down) or resumes listening on the port of panel `name`; all panels on that port
  /// go down together. Returns false for unknown panels.
  bool set_down(const std::string& name, bool down);

  /// `{"control_port": P, "panels": [{name, port, base_path, profile, fault, clients}...]}`.
  [[nodiscard]] ojson describe() const;

private:
  struct state;
  std::unique_ptr<state> state_;
};

} // namespace fleet::fake
