#include "common/panel/panel_client.hpp"

#include "common/base32.hpp"
#include "common/panel/classify.hpp"
#include "common/panel/login_answers.hpp"
#include "common/panel/panel_url.hpp"
#include "common/panel/totp.hpp"
#include "common/panel/xui_adapter.hpp"

#include <atomic>

namespace fleet {

namespace {

using json = nlohmann::json;
using json_callback = std::function<void(caf::expected<json>)>;
using time_point = std::chrono::system_clock::time_point;

/// How close to a TOTP step boundary a refused login is tried again with the other step's
/// code.
constexpr std::chrono::seconds two_factor_margin{5};

std::string form(std::initializer_list<std::pair<const char*, std::string>> fields) {
  std::string out;
  for (const auto& [key, value] : fields)
    out += (out.empty() ? "" : "&") + std::string{key} + "=" + url_encode(value);
  return out;
}

/// Whether `r` is a panel's answer to a request without a valid session.
bool session_lost(const http_response& r) {
  if (r.transport_code != 0 || !r.body.empty())
    return false;
  auto result = classify(r, "");
  return !result && code_of(result.error()) == ec::unauthenticated;
}

/// Turns an envelope result into a unit result.
json_callback to_unit(std::function<void(caf::expected<caf::unit_t>)> done) {
  return [done = std::move(done)](caf::expected<json> obj) {
    if (!obj)
      return done(std::move(obj.error()));
    done(caf::unit);
  };
}

} // namespace

panel_endpoint panel_endpoint::from(const server_config& s, std::chrono::milliseconds timeout) {
  panel_endpoint ep;
  ep.base_url = panel_base_url(s);
  ep.username = s.username;
  ep.password = s.password;
  ep.api_token = s.api_token;
  if (auto key = decode_base32(s.two_factor_secret))
    ep.two_factor_key = std::move(*key);
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
  /// The adapter of the panel's generation, once `server/status` has shown it.
  std::atomic<const xui_adapter*> adapter{nullptr};
  std::atomic<int> login_count{0};

  // Touched on the I/O thread only.
  bool logged_in = false;
  bool logging_in = false;
  std::string csrf;
  std::vector<std::function<void(caf::error)>> login_waiters;

  http_request make_request(const xui_request& spec) const {
    http_request r;
    r.method = spec.method;
    r.url = endpoint.base_url + spec.path;
    r.timeout = endpoint.timeout;
    r.headers.emplace_back("Accept: application/json");
    if (!endpoint.api_token.empty())
      r.headers.push_back("Authorization: Bearer " + endpoint.api_token);
    else if (spec.method != "GET" && !csrf.empty())
      r.headers.push_back("X-CSRF-Token: " + csrf);
    if (spec.kind == body_kind::form)
      r.headers.emplace_back("Content-Type: application/x-www-form-urlencoded");
    else if (spec.kind == body_kind::json)
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
    engine.submit(session, make_request({"GET", "csrf-token", "", body_kind::none, "log in"}),
                  [self](http_response r) {
                    if (r.transport_code != 0) {
                      self->finish_login(classify(r, "log in").error());
                      return;
                    }
                    // 404: a panel before v3.0 (no CSRF); 200: remember the token.
                    if (r.status >= 500) {
                      // A v3 panel that failed this once (restarting, or behind a proxy that
                      // timed out) would refuse a login without the token as if the
                      // credentials were wrong: report the panel's failure instead.
                      return self->finish_login(classify(r, "log in").error());
                    }
                    self->csrf = read_csrf_token(r);
                    self->post_login();
                  });
  }

  /// Posts the credentials (and the TOTP code for `at`, the clock's time when absent).
  void post_login(std::optional<time_point> at = std::nullopt) {
    auto self = shared_from_this();
    auto when = at ? *at : endpoint.clock();
    auto body = form({{"username", endpoint.username}, {"password", endpoint.password}});
    if (!endpoint.two_factor_key.empty())
      body += "&twoFactorCode=" + totp_code(endpoint.two_factor_key, when);
    engine.submit(session, make_request({"POST", "login", body, body_kind::form, "log in"}),
                  [self, when, first = !at](http_response r) {
                    auto answer = read_login(r);
                    if (!answer.error) {
                      self->logged_in = true;
                      ++self->login_count;
                      return self->finish_login(caf::none);
                    }
                    if (!answer.refused)
                      return self->finish_login(std::move(answer.error));
                    if (self->endpoint.two_factor_key.empty())
                      return self->explain_refusal(std::move(answer.error));
                    if (first)
                      if (auto other = neighbour_step(when, two_factor_margin))
                        return self->post_login(other);
                    self->finish_login(make_error(
                        ec::unauthenticated,
                        message_of(answer.error)
                            + " (check the username, password and two_factor_secret, and that "
                              "the panel's clock is right)"));
                  });
  }

  /// Finishes a refused login without a TOTP secret, saying so when the panel reports
  /// two-factor authentication on (`getTwoFactorEnable`, v2.6+).
  void explain_refusal(caf::error refusal) {
    auto self = shared_from_this();
    engine.submit(
        session, make_request({"POST", "getTwoFactorEnable", "", body_kind::form, "log in"}),
        [self, refusal = std::move(refusal)](http_response r) {
          if (reads_two_factor_on(r))
            return self->finish_login(make_error(
                ec::unauthenticated, "log in: the panel has two-factor authentication on and "
                                     "refused a login without a code; set two_factor_secret "
                                     "for this server"));
          self->finish_login(refusal);
        });
  }

  /// Sends `spec` and hands the panel's answer (or the failed login) to `done`, logging in
  /// first when needed and once more when the panel has dropped the session (an empty
  /// 404/401/403 after a login that worked).
  void exchange(xui_request spec, callback<http_response> done, bool retried = false) {
    auto self = shared_from_this();
    auto send = [self, spec, done, retried]() {
      self->engine.submit(self->session, self->make_request(spec),
                          [self, spec, done, retried](http_response r) {
                            if (self->endpoint.api_token.empty() && !retried && session_lost(r)) {
                              self->logged_in = false;
                              self->exchange(spec, done, true);
                              return;
                            }
                            done(std::move(r));
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

  /// Sends `spec` (as `exchange`) and hands the answer's `obj` to `done`.
  void call(xui_request spec, json_callback done) {
    auto what = spec.what;
    exchange(std::move(spec), [what, done = std::move(done)](caf::expected<http_response> r) {
      if (!r)
        return done(std::move(r.error()));
      done(classify(*r, what));
    });
  }

  void status(callback<panel_status> done) {
    auto self = shared_from_this();
    call({"GET", "panel/api/server/status", "", body_kind::none, "read status"},
         [self, done](caf::expected<json> obj) {
           if (!obj)
             return done(std::move(obj.error()));
           auto parsed = parse_status(*obj);
           if (parsed)
             self->adapter = adapter_for(parsed->generation);
           done(std::move(parsed));
         });
  }

  /// Runs `then` with the adapter of the panel's generation, reading the status first when
  /// it is not known yet.
  void with_adapter(std::function<void(caf::expected<const xui_adapter*>)> then) {
    if (const auto* known = adapter.load())
      return then(known);
    status([self = shared_from_this(), then](caf::expected<panel_status> s) {
      if (!s)
        return then(std::move(s.error()));
      then(self->adapter.load());
    });
  }

  /// Sends `requests` one after the other and stops at the first failure.
  void call_in_order(std::vector<xui_request> requests, callback<caf::unit_t> done) {
    if (requests.empty())
      return done(caf::unit);
    auto first = requests.front();
    requests.erase(requests.begin());
    call(std::move(first), [self = shared_from_this(), rest = std::move(requests),
                            done](caf::expected<json> obj) mutable {
      if (!obj)
        return done(std::move(obj.error()));
      self->call_in_order(std::move(rest), std::move(done));
    });
  }

  /// Sends `request` and hands the answer's `obj` to `parse` (adapters live for the whole
  /// process, so parsers may refer to theirs).
  template <class T, class Parse>
  void call_parsed(xui_request request, Parse parse, callback<T> done) {
    call(std::move(request), [parse, done = std::move(done)](caf::expected<json> obj) {
      if (!obj)
        return done(std::move(obj.error()));
      done(parse(*obj));
    });
  }

  /// Runs `op` on the I/O thread with the panel's adapter; a failure to learn the
  /// generation goes to `done`.
  template <class T, class Op>
  void post(callback<T> done, Op op) {
    engine.post([self = shared_from_this(), done = std::move(done), op = std::move(op)] {
      self->with_adapter([self, done, op](caf::expected<const xui_adapter*> a) {
        if (!a)
          return done(std::move(a.error()));
        op(**a, done);
      });
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
  const auto* a = state_->adapter.load();
  return a != nullptr ? a->generation() : api_generation::unknown;
}

int panel_client::logins() const {
  return state_->login_count.load();
}

void panel_client::status(callback<panel_status> done) {
  state_->engine.post([s = state_, done = std::move(done)] { s->status(done); });
}

void panel_client::inbounds(callback<std::vector<panel_inbound>> done) {
  // The largest answer of a check: read from the body, without a JSON tree.
  state_->post(std::move(done), [s = state_](const xui_adapter& a, auto reply) {
    s->exchange(a.list_inbounds(), [&a, reply = std::move(reply)](caf::expected<http_response> r) {
      if (!r)
        return reply(std::move(r.error()));
      reply(a.read_inbounds(*r));
    });
  });
}

void panel_client::add_clients(int64_t inbound_id, const std::string& protocol,
                               std::vector<client_order> clients, callback<caf::unit_t> done) {
  state_->post(std::move(done), [s = state_, inbound_id, protocol, clients = std::move(clients)](
                                    const xui_adapter& a, callback<caf::unit_t> reply) {
    s->call_in_order(a.add_clients(inbound_id, protocol, clients), std::move(reply));
  });
}

void panel_client::update_client(const client_ref& ref, const std::string& protocol,
                                 client_order client, callback<caf::unit_t> done) {
  state_->post(std::move(done), [s = state_, ref, protocol, client = std::move(client)](
                                    const xui_adapter& a, callback<caf::unit_t> reply) {
    s->call(a.update_client(ref, protocol, client), to_unit(std::move(reply)));
  });
}

void panel_client::delete_client(const client_ref& ref, callback<caf::unit_t> done) {
  state_->post(std::move(done),
               [s = state_, ref](const xui_adapter& a, callback<caf::unit_t> reply) {
                 s->call(a.delete_client(ref), to_unit(std::move(reply)));
               });
}

void panel_client::client_traffic(const std::string& email, callback<client_usage> done) {
  state_->post(std::move(done), [s = state_, email](const xui_adapter& a, auto reply) {
    s->call_parsed(
        a.client_traffic(email), [&a](const json& obj) { return a.parse_traffic(obj); },
        std::move(reply));
  });
}

void panel_client::online_clients(callback<std::vector<std::string>> done) {
  state_->post(std::move(done), [s = state_](const xui_adapter& a, auto reply) {
    s->call_parsed(
        a.online_clients(), [&a](const json& obj) { return a.parse_online(obj); },
        std::move(reply));
  });
}

} // namespace fleet
