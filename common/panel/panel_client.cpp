#include "common/panel/panel_client.hpp"

#include "common/panel/classify.hpp"

#include <atomic>

namespace fleet {

namespace {

using json = nlohmann::json;
using json_callback = std::function<void(caf::expected<json>)>;

/// One API call, relative to the panel's base URL.
struct call_spec {
  std::string method;
  std::string path;
  std::string body;
  /// "form" or "json" (only for bodies).
  std::string kind;
  /// Operation name for error messages.
  std::string what;
};

std::string form(std::initializer_list<std::pair<const char*, std::string>> fields) {
  std::string out;
  for (const auto& [key, value] : fields)
    out += (out.empty() ? "" : "&") + std::string{key} + "=" + url_encode(value);
  return out;
}

} // namespace

panel_endpoint panel_endpoint::from(const server_config& s, std::chrono::milliseconds timeout) {
  panel_endpoint ep;
  ep.base_url = panel_base_url(s);
  ep.username = s.username;
  ep.password = s.password;
  ep.api_token = s.api_token;
  ep.tls = {s.tls.ca_file, s.tls.pinned_pubkey, s.tls.insecure_skip_verify};
  ep.timeout = timeout;
  return ep;
}

struct panel_client::state : std::enable_shared_from_this<state> {
  state(http_engine& e, panel_endpoint p) : engine(e), endpoint(std::move(p)) {
    session = engine.open_session(endpoint.tls);
  }

  http_engine& engine;
  panel_endpoint endpoint;
  http_engine::session_id session = 0;
  std::atomic<int> generation{static_cast<int>(api_generation::unknown)};
  std::atomic<int> login_count{0};

  // Touched on the I/O thread only.
  bool logged_in = false;
  bool logging_in = false;
  std::string csrf;
  std::vector<std::function<void(caf::error)>> login_waiters;

  http_request make_request(const call_spec& spec) const {
    http_request r;
    r.method = spec.method;
    r.url = endpoint.base_url + spec.path;
    r.timeout = endpoint.timeout;
    r.headers.emplace_back("Accept: application/json");
    if (!endpoint.api_token.empty())
      r.headers.push_back("Authorization: Bearer " + endpoint.api_token);
    else if (spec.method != "GET" && !csrf.empty())
      r.headers.push_back("X-CSRF-Token: " + csrf);
    if (spec.kind == "form")
      r.headers.emplace_back("Content-Type: application/x-www-form-urlencoded");
    else if (spec.kind == "json")
      r.headers.emplace_back("Content-Type: application/json");
    r.body = spec.body;
    return r;
  }

  void finish_login(caf::error err) {
    logging_in = false;
    auto waiters = std::move(login_waiters);
    login_waiters.clear();
    for (auto& w : waiters)
      w(err);
  }

  /// Logs in (v3: CSRF token first), then runs every waiter.
  void ensure_login(std::function<void(caf::error)> then) {
    login_waiters.push_back(std::move(then));
    if (logging_in)
      return;
    logging_in = true;
    logged_in = false;
    csrf.clear();
    auto self = shared_from_this();
    engine.submit(session, make_request({"GET", "csrf-token", "", "", "log in"}),
                  [self](http_response r) {
                    if (r.transport_code != 0) {
                      self->finish_login(classify(r, "log in").error());
                      return;
                    }
                    // 404: a panel before v3.0 (no CSRF); 200: remember the token.
                    if (r.status == 200) {
                      auto doc = json::parse(r.body, nullptr, false);
                      if (doc.is_object() && doc.value("obj", json{}).is_string())
                        self->csrf = doc["obj"].get<std::string>();
                    }
                    self->post_login();
                  });
  }

  void post_login() {
    auto self = shared_from_this();
    auto body = form({{"username", endpoint.username}, {"password", endpoint.password}});
    engine.submit(session, make_request({"POST", "login", body, "form", "log in"}),
                  [self](http_response r) {
                    auto result = classify(r, "log in");
                    if (!result) {
                      self->finish_login(std::move(result.error()));
                      return;
                    }
                    self->logged_in = true;
                    ++self->login_count;
                    self->finish_login(caf::none);
                  });
  }

  /// Sends `spec`, logging in first when needed and once more when the panel has dropped
  /// the session (an empty 404/401/403 after a login that worked).
  void call(call_spec spec, json_callback done, bool retried = false) {
    auto self = shared_from_this();
    auto send = [self, spec, done, retried]() {
      self->engine.submit(
          self->session, self->make_request(spec), [self, spec, done, retried](http_response r) {
            auto result = classify(r, spec.what);
            auto session_lost = !result && code_of(result.error()) == ec::unauthenticated
                                && r.transport_code == 0 && r.body.empty();
            if (session_lost && self->endpoint.api_token.empty() && !retried) {
              self->logged_in = false;
              self->call(spec, done, true);
              return;
            }
            done(std::move(result));
          });
    };
    if (!endpoint.api_token.empty() || logged_in) {
      send();
      return;
    }
    ensure_login([send, done](caf::error err) {
      if (err)
        done(std::move(err));
      else
        send();
    });
  }

  void status(callback<panel_status> done) {
    auto self = shared_from_this();
    call({"GET", "panel/api/server/status", "", "", "read status"},
         [self, done](caf::expected<json> obj) {
           if (!obj)
             return done(std::move(obj.error()));
           auto parsed = parse_status(*obj);
           if (parsed)
             self->generation = static_cast<int>(parsed->generation);
           done(std::move(parsed));
         });
  }

  /// Runs `then` with the API generation, reading the status first when it is unknown.
  void with_generation(std::function<void(caf::expected<api_generation>)> then) {
    auto known = static_cast<api_generation>(generation.load());
    if (known != api_generation::unknown)
      return then(known);
    status([then](caf::expected<panel_status> s) {
      if (!s)
        return then(std::move(s.error()));
      then(s->generation);
    });
  }
};

panel_client::panel_client(http_engine& engine, panel_endpoint endpoint)
    : state_(std::make_shared<state>(engine, std::move(endpoint))) {
  // nop
}

panel_client::~panel_client() {
  state_->engine.close_session(state_->session);
}

api_generation panel_client::generation() const {
  return static_cast<api_generation>(state_->generation.load());
}

int panel_client::logins() const {
  return state_->login_count.load();
}

void panel_client::status(callback<panel_status> done) {
  state_->engine.post([s = state_, done = std::move(done)] { s->status(done); });
}

void panel_client::inbounds(callback<std::vector<panel_inbound>> done) {
  state_->engine.post([s = state_, done = std::move(done)] {
    s->call({"GET", "panel/api/inbounds/list", "", "", "list inbounds"},
            [done](caf::expected<json> obj) {
              if (!obj)
                return done(std::move(obj.error()));
              done(parse_inbounds(*obj));
            });
  });
}

namespace {

/// Turns an envelope result into a unit result.
std::function<void(caf::expected<json>)>
to_unit(std::function<void(caf::expected<caf::unit_t>)> done) {
  return [done = std::move(done)](caf::expected<json> obj) {
    if (!obj)
      return done(std::move(obj.error()));
    done(caf::unit);
  };
}

} // namespace

void panel_client::add_clients(int64_t inbound_id, const std::string& protocol,
                               std::vector<new_client> clients, callback<caf::unit_t> done) {
  state_->engine.post([s = state_, inbound_id, protocol, clients = std::move(clients),
                       done = std::move(done)] {
    s->with_generation([s, inbound_id, protocol, clients, done](caf::expected<api_generation> g) {
      if (!g)
        return done(std::move(g.error()));
      if (*g == api_generation::classic) {
        auto list = json::array();
        for (const auto& c : clients)
          list.push_back(client_json(c, protocol));
        // JSON bodies (settings as a string) work on every classic version and have no
        // form-size limits in front of them.
        json body{{"id", inbound_id}, {"settings", json{{"clients", list}}.dump()}};
        s->call({"POST", "panel/api/inbounds/addClient", body.dump(), "json", "add clients"},
                to_unit(done));
        return;
      }
      // Gen2 takes one client per call; add them in order and stop at the first failure.
      auto remaining = std::make_shared<std::vector<new_client>>(clients);
      auto step = std::make_shared<std::function<void()>>();
      *step = [s, inbound_id, protocol, remaining, done, step]() {
        if (remaining->empty()) {
          done(caf::unit);
          *step = nullptr; // break the self-reference
          return;
        }
        auto c = remaining->front();
        remaining->erase(remaining->begin());
        json body{{"client", client_json(c, protocol)}, {"inboundIds", {inbound_id}}};
        s->call({"POST", "panel/api/clients/add", body.dump(), "json", "add clients"},
                [done, step](caf::expected<json> obj) {
                  if (!obj) {
                    done(std::move(obj.error()));
                    *step = nullptr;
                    return;
                  }
                  (*step)();
                });
      };
      (*step)();
    });
  });
}

void panel_client::update_client(const client_ref& ref, const std::string& protocol,
                                 new_client client, callback<caf::unit_t> done) {
  state_->engine.post(
      [s = state_, ref, protocol, client = std::move(client), done = std::move(done)] {
        s->with_generation([s, ref, protocol, client, done](caf::expected<api_generation> g) {
          if (!g)
            return done(std::move(g.error()));
          if (*g == api_generation::classic) {
            json body{{"id", ref.inbound_id},
                      {"settings",
                       json{{"clients", json::array({client_json(client, protocol)})}}.dump()}};
            s->call({"POST", "panel/api/inbounds/updateClient/" + url_encode(ref.key), body.dump(),
                     "json", "update client"},
                    to_unit(done));
          } else {
            s->call({"POST", "panel/api/clients/update/" + url_encode(ref.email),
                     client_json(client, protocol).dump(), "json", "update client"},
                    to_unit(done));
          }
        });
      });
}

void panel_client::delete_client(const client_ref& ref, callback<caf::unit_t> done) {
  state_->engine.post([s = state_, ref, done = std::move(done)] {
    s->with_generation([s, ref, done](caf::expected<api_generation> g) {
      if (!g)
        return done(std::move(g.error()));
      if (*g == api_generation::classic)
        s->call({"POST",
                 "panel/api/inbounds/" + std::to_string(ref.inbound_id) + "/delClient/"
                     + url_encode(ref.key),
                 "", "form", "delete client"},
                to_unit(done));
      else
        s->call(
            {"POST", "panel/api/clients/del/" + url_encode(ref.email), "", "json", "delete client"},
            to_unit(done));
    });
  });
}

void panel_client::client_traffic(const std::string& email, callback<client_traffic_info> done) {
  state_->engine.post([s = state_, email, done = std::move(done)] {
    s->with_generation([s, email, done](caf::expected<api_generation> g) {
      if (!g)
        return done(std::move(g.error()));
      auto path = *g == api_generation::classic
                      ? "panel/api/inbounds/getClientTraffics/" + url_encode(email)
                      : "panel/api/clients/traffic/" + url_encode(email);
      s->call({"GET", path, "", "", "read client traffic"}, [done](caf::expected<json> obj) {
        if (!obj)
          return done(std::move(obj.error()));
        done(parse_traffic(*obj));
      });
    });
  });
}

void panel_client::online_clients(callback<std::vector<std::string>> done) {
  state_->engine.post([s = state_, done = std::move(done)] {
    s->with_generation([s, done](caf::expected<api_generation> g) {
      if (!g)
        return done(std::move(g.error()));
      auto path = *g == api_generation::classic ? "panel/api/inbounds/onlines"
                                                : "panel/api/clients/onlines";
      s->call({"POST", path, "", "form", "read online clients"}, [done](caf::expected<json> obj) {
        if (!obj)
          return done(std::move(obj.error()));
        std::vector<std::string> emails;
        // `null` right after an Xray restart means nobody is known to be online yet.
        if (obj->is_array())
          for (const auto& e : *obj)
            if (e.is_string())
              emails.push_back(e.get<std::string>());
        done(std::move(emails));
      });
    });
  });
}

} // namespace fleet
