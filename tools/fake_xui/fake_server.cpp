#include "tools/fake_xui/fake_server.hpp"

#include "tools/fake_xui/reply.hpp"
#include "tools/fake_xui/worker_pool.hpp"

#include <algorithm>
#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

namespace fleet::fake {

namespace {

/// Connections a listener's kernel queue holds before it accepts them.
constexpr int listen_backlog = 1024;

struct listener {
  uint16_t port = 0;
  /// A panel's own subscription listener rather than a panel port.
  bool subscription = false;
  std::vector<panel_host*> panels;
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
};

panel_host* panel_for(const listener& l, const std::string& path) {
  panel_host* best = nullptr;
  for (auto* p : l.panels) {
    const auto& base = p->options().base_path;
    if (path.rfind(base, 0) == 0
        && (best == nullptr || base.size() > best->options().base_path.size()))
      best = p;
  }
  return best;
}

} // namespace

struct fake_server::state {
  std::string host;
  std::vector<std::unique_ptr<panel_host>> panels;
  std::list<listener> listeners;
  std::unique_ptr<httplib::Server> control;
  std::thread control_thread;
  uint16_t control_port = 0;
  int keep_alive_s = 5;
  /// Most worker threads per listener: requests in flight and idle keep-alive connections
  /// each hold one.
  size_t worker_threads = 1024;
  mutable std::mutex mtx;

  std::unique_ptr<httplib::Server> make_server(const panel_options* tls = nullptr) {
    std::unique_ptr<httplib::Server> server;
    if (tls != nullptr && !tls->tls_cert.empty())
      server = std::make_unique<httplib::SSLServer>(tls->tls_cert.c_str(), tls->tls_key.c_str());
    else
      server = std::make_unique<httplib::Server>();
    server->new_task_queue = [n = worker_threads] { return new_worker_pool(n); };
    server->set_keep_alive_max_count(1'000'000);
    server->set_keep_alive_timeout(keep_alive_s);
    server->set_tcp_nodelay(true);
    return server;
  }

  std::string serve(listener& l) {
    l.server = make_server(l.subscription ? nullptr : &l.panels.front()->options());
    if (!l.server->is_valid())
      return "cannot load the TLS certificate or key of panel " + l.panels.front()->options().name;
    auto* self = &l;
    auto handler = [self](const httplib::Request& req, httplib::Response& res) {
      if (self->subscription)
        return self->panels.front()->handle_subscription(req, res);
      auto* panel = panel_for(*self, req.path);
      if (panel == nullptr) {
        reply_empty(res, 404);
        return;
      }
      panel->handle(req, res, req.path.substr(panel->options().base_path.size()));
    };
    l.server->Get(".*", handler);
    l.server->Post(".*", handler);
    l.server->Put(".*", handler);
    l.server->Delete(".*", handler);
    l.server->Patch(".*", handler);
    // httplib listens with a backlog of 5: a burst of new connections (hundreds of callers
    // at once) would overflow it and wait a second for the SYN to be sent again. Listening
    // again on the bound socket raises the backlog.
    auto listening = std::make_shared<socket_t>(INVALID_SOCKET);
    l.server->set_socket_options([listening](socket_t s) {
      httplib::default_socket_options(s);
      *listening = s;
    });
    if (l.port == 0) {
      auto port = l.server->bind_to_any_port(host);
      if (port <= 0)
        return "cannot bind a free port on " + host;
      l.port = static_cast<uint16_t>(port);
    } else if (!l.server->bind_to_port(host, l.port)) {
      return "cannot bind " + host + ":" + std::to_string(l.port) + " (in use?)";
    }
    if (*listening != INVALID_SOCKET)
      ::listen(*listening, listen_backlog);
    l.thread = std::thread{[server = l.server.get()] { server->listen_after_bind(); }};
    wait_running(*l.server);
    return {};
  }

  /// Waits until `server` accepts: httplib's `stop` before that is lost, and the listening
  /// thread would never end.
  static void wait_running(const httplib::Server& server) {
    for (int i = 0; i < 2'000 && !server.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{1});
  }

  void halt(listener& l) {
    if (!l.server)
      return;
    l.server->stop();
    if (l.thread.joinable())
      l.thread.join();
    l.server.reset();
  }
};

fake_server::fake_server() : state_(std::make_unique<state>()) {
  // nop
}

fake_server::~fake_server() {
  stop();
}

void fake_server::set_keep_alive(int seconds) {
  state_->keep_alive_s = seconds;
}

void fake_server::set_worker_threads(size_t threads) {
  state_->worker_threads = threads;
}

void fake_server::add_panel(panel_options options) {
  state_->panels.push_back(std::make_unique<panel_host>(std::move(options)));
}

panel_host* fake_server::find(const std::string& name) {
  for (auto& p : state_->panels)
    if (p->options().name == name)
      return p.get();
  return nullptr;
}

uint16_t fake_server::control_port() const noexcept {
  return state_->control_port;
}

std::string fake_server::start(uint16_t control_port, const std::string& host) {
  auto& st = *state_;
  st.host = host;
  // Panels asking for port 0 each get a port of their own; equal non-zero ports are shared.
  for (auto& p : st.panels) {
    auto port = p->options().port;
    auto shared = std::find_if(st.listeners.begin(), st.listeners.end(),
                               [port](const listener& l) { return port != 0 && l.port == port; });
    if (shared != st.listeners.end()) {
      shared->panels.push_back(p.get());
      continue;
    }
    st.listeners.emplace_back();
    st.listeners.back().port = port;
    st.listeners.back().panels.push_back(p.get());
  }
  for (auto& p : st.panels)
    if (auto sub_port = p->options().sub_port) {
      st.listeners.emplace_back();
      st.listeners.back().port = *sub_port;
      st.listeners.back().subscription = true;
      st.listeners.back().panels.push_back(p.get());
    }
  for (auto& l : st.listeners) {
    if (auto err = st.serve(l); !err.empty())
      return err;
    for (auto* p : l.panels)
      if (l.subscription)
        p->bind_sub_port(l.port);
      else
        p->bind_port(l.port);
  }
  st.control = st.make_server();
  auto json_reply = [](httplib::Response& res, const ojson& body) {
    res.set_content(body.dump(), "application/json");
  };
  st.control->Get("/_fake/panels",
                  [this, json_reply](const httplib::Request&, httplib::Response& res) {
                    json_reply(res, describe());
                  });
  st.control->Get(R"(/_fake/panels/([^/]+)/(counters|clients))",
                  [this, json_reply](const httplib::Request& req, httplib::Response& res) {
                    auto* p = find(req.matches[1]);
                    if (p == nullptr)
                      return reply_empty(res, 404);
                    json_reply(res, req.matches[2] == "counters" ? p->counters() : p->clients());
                  });
  st.control->Post(R"(/_fake/panels/([^/]+)/([a-z-]+))", [this,
                                                          json_reply](const httplib::Request& req,
                                                                      httplib::Response& res) {
    auto* p = find(req.matches[1]);
    if (p == nullptr)
      return reply_empty(res, 404);
    std::string action = req.matches[2];
    auto body = nlohmann::json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
    if (!body.is_object()) {
      res.status = 400;
      return json_reply(res, {{"error", "body must be a JSON object"}});
    }
    if (action == "fault") {
      fault_mode f{body.value("mode", "none"), body.value("delay_ms", int64_t{0})};
      static const std::vector<std::string> modes{
          "none", "down", "hang", "slow", "http500", "garbage", "fail_mutations", "xray_stopped"};
      if (std::find(modes.begin(), modes.end(), f.mode) == modes.end()) {
        res.status = 400;
        return json_reply(res, {{"error", "unknown fault mode " + f.mode}});
      }
      auto was_down = p->fault().mode == "down";
      p->set_fault(f);
      if (f.mode == "down" || was_down)
        set_down(p->options().name, f.mode == "down");
    } else if (action == "expire-sessions") {
      p->expire_sessions();
    } else if (action == "wipe") {
      p->wipe();
    } else if (action == "traffic") {
      if (!p->add_traffic(body.value("email", ""), body.value("up", int64_t{0}),
                          body.value("down", int64_t{0}))) {
        res.status = 404;
        return json_reply(res, {{"error", "no client with that email"}});
      }
    } else if (action == "online") {
      p->set_online(body.value("emails", std::vector<std::string>{}));
    } else if (action == "inbounds") {
      int64_t id = 0;
      if (auto err = p->add_inbound(body, id); !err.empty()) {
        res.status = 400;
        return json_reply(res, {{"error", err}});
      }
      return json_reply(res, {{"id", id}});
    } else {
      return reply_empty(res, 404);
    }
    json_reply(res, p->summary());
  });
  if (control_port == 0) {
    auto port = st.control->bind_to_any_port(host);
    if (port <= 0)
      return "cannot bind the control port";
    st.control_port = static_cast<uint16_t>(port);
  } else if (!st.control->bind_to_port(host, control_port)) {
    return "cannot bind control port " + std::to_string(control_port);
  } else {
    st.control_port = control_port;
  }
  st.control_thread = std::thread{[server = st.control.get()] { server->listen_after_bind(); }};
  state::wait_running(*st.control);
  return {};
}

void fake_server::stop() {
  auto& st = *state_;
  std::lock_guard<std::mutex> guard{st.mtx};
  // Release hanging requests so worker threads can finish.
  for (auto& p : st.panels)
    if (p->fault().mode == "hang")
      p->set_fault({});
  for (auto& l : st.listeners)
    st.halt(l);
  if (st.control) {
    st.control->stop();
    if (st.control_thread.joinable())
      st.control_thread.join();
    st.control.reset();
  }
}

bool fake_server::set_down(const std::string& name, bool down) {
  auto* p = find(name);
  if (p == nullptr)
    return false;
  auto& st = *state_;
  std::lock_guard<std::mutex> guard{st.mtx};
  auto it = std::find_if(st.listeners.begin(), st.listeners.end(), [&](const listener& l) {
    return !l.subscription && l.port == p->options().port;
  });
  if (it == st.listeners.end())
    return false;
  if (down)
    st.halt(*it);
  else if (!it->server)
    return st.serve(*it).empty();
  return true;
}

ojson fake_server::describe() const {
  auto panels = ojson::array();
  for (const auto& p : state_->panels)
    panels.push_back(p->summary());
  return {{"control_port", state_->control_port}, {"panels", panels}};
}

} // namespace fleet::fake
