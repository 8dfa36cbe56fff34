#include "tools/fake_xui/panel_host.hpp"

#include "common/base32.hpp"
#include "common/clock.hpp"
#include "common/panel/totp.hpp"
#include "tools/fake_xui/reply.hpp"

#include <chrono>
#include <thread>

namespace fleet::fake {

namespace {

/// Longest time a `hang` keeps a request before letting go.
constexpr auto max_hang = std::chrono::seconds{120};

bool is_mutation(const httplib::Request& req, const std::string& rel) {
  if (req.method != "POST" || rel.rfind("panel/api/", 0) != 0)
    return false;
  for (const auto* read_only : {"onlines", "lastOnline", "clientIps"})
    if (rel.find(read_only) != std::string::npos)
      return false;
  return true;
}

} // namespace

panel_host::panel_host(panel_options options)
    : options_(std::move(options)), panel_(options_.profile, options_.seed) {
  if (options_.inbounds == "showcase")
    panel_.seed_showcase(options_.name);
  else
    panel_.seed(options_.name);
}

void panel_host::count(const std::string& key) {
  ++counters_[key];
  ++counters_["total"];
}

std::string panel_host::cookie_of(const httplib::Request& req) const {
  auto header = req.get_header_value("Cookie");
  auto prefix = options_.cookie_name + "=";
  size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';'))
      ++pos;
    auto end = header.find(';', pos);
    auto item = header.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (item.rfind(prefix, 0) == 0)
      return item.substr(prefix.size());
    if (end == std::string::npos)
      break;
    pos = end + 1;
  }
  return {};
}

std::string panel_host::new_session(session s) {
  s.expires_ms = real_clock().wall_ms() + options_.session_max_age_s * 1000;
  auto value = "MTc" + panel_.new_uuid() + std::to_string(++session_counter_);
  sessions_[value] = std::move(s);
  return value;
}

void panel_host::set_cookie(httplib::Response& res, const std::string& value,
                            int64_t max_age) const {
  res.set_header("Set-Cookie", options_.cookie_name + "=" + value + "; Path=" + options_.base_path
                                   + "; Max-Age=" + std::to_string(max_age)
                                   + "; HttpOnly; SameSite=Lax");
}

panel_host::auth_result panel_host::authenticate(const httplib::Request& req, bool needs_csrf) {
  auto csrf_profile = options_.profile != api_profile::classic;
  auto authorization = req.get_header_value("Authorization");
  if (csrf_profile && authorization.rfind("Bearer ", 0) == 0) {
    auto token = authorization.substr(7);
    for (const auto& t : options_.api_tokens)
      if (t == token)
        return auth_result::ok;
    return auth_result::unauthenticated;
  }
  auto it = sessions_.find(cookie_of(req));
  if (it == sessions_.end() || !it->second.logged_in
      || it->second.expires_ms < real_clock().wall_ms())
    return auth_result::unauthenticated;
  if (csrf_profile && needs_csrf) {
    auto sent = req.get_header_value("X-CSRF-Token");
    if (sent.empty())
      if (auto field = body_field(req, "_csrf"); field && field->is_string())
        sent = field->get<std::string>();
    if (sent != it->second.csrf)
      return auth_result::csrf_missing;
  }
  return auth_result::ok;
}

bool panel_host::two_factor_ok(const std::string& code) const {
  if (options_.two_factor_secret.empty())
    return true;
  auto key = decode_base32(options_.two_factor_secret);
  return key && code == totp_code(*key, options_.clock());
}

void panel_host::handle(const httplib::Request& req, httplib::Response& res,
                        const std::string& rel) {
  // Outside the lock, so that concurrent requests wait side by side.
  auto unlocked_add = options_.no_lock && is_classic_add(req, rel);
  auto wait = unlocked_add ? options_.latency - options_.latency / 2 : options_.latency;
  if (wait.count() > 0)
    std::this_thread::sleep_for(wait);
  auto current = fault();
  if (current.mode == "hang") {
    auto until = real_clock().steady() + max_hang;
    while (fault().mode == "hang" && real_clock().steady() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    reply_empty(res, 500);
    return;
  }
  if (current.mode == "slow")
    std::this_thread::sleep_for(std::chrono::milliseconds{current.delay_ms});
  std::unique_lock<std::mutex> guard{mtx_};
  if (current.mode == "http500") {
    count("fault http500");
    reply_empty(res, 500);
    return;
  }
  if (current.mode == "garbage") {
    count("fault garbage");
    res.status = 200;
    res.set_content("{\"success\": tru<html>upstream error", "application/json; charset=utf-8");
    return;
  }
  if (current.mode == "fail_mutations" && is_mutation(req, rel)) {
    count("fault fail_mutations");
    reply_envelope(res, false, "Something went wrong (database is locked)");
    return;
  }
  if (unlocked_add) {
    add_without_lock(req, res, guard);
    return;
  }
  route(req, res, rel);
}

bool panel_host::is_classic_add(const httplib::Request& req, const std::string& rel) const {
  return options_.profile != api_profile::gen2 && req.method == "POST"
         && rel == "panel/api/inbounds/addClient";
}

void panel_host::add_without_lock(const httplib::Request& req, httplib::Response& res,
                                  std::unique_lock<std::mutex>& lock) {
  if (!admitted(req, res))
    return;
  fake_panel::client_write write;
  if (!read_classic_add(req, res, write, true))
    return;
  // The panel works on its copy of the inbound while other calls may write theirs.
  lock.unlock();
  std::this_thread::sleep_for(options_.latency / 2);
  lock.lock();
  panel_.write_clients(write);
  reply_envelope(res, true, classic_add_done);
}

void panel_host::route(const httplib::Request& req, httplib::Response& res,
                       const std::string& rel) {
  if (route_auth(req, res, rel))
    return;
  auto parts = split_path(rel);
  if (parts.size() < 3 || parts[0] != "panel" || parts[1] != "api") {
    count("unrouted");
    reply_empty(res, 404);
    return;
  }
  if (!admitted(req, res))
    return;
  // 3x-ui's traffic job runs every 10 s whether bytes moved or not, and ends by disabling
  // depleted and expired clients; a read of the panel sees that step done. (Quota needs no
  // clock, but an update that lowers it below the usage is caught here too, as the next job
  // run would.)
  if (req.method == "GET")
    panel_.disable_invalid_clients();
  auto gen2 = options_.profile == api_profile::gen2;
  if (route_server(req, res, parts) || route_inbounds(req, res, parts)
      || (gen2 ? route_gen2_clients(req, res, parts) || route_sub_links(req, res, parts)
               : route_classic_clients(req, res, parts)))
    return;
  count("unrouted");
  reply_empty(res, 404);
}

bool panel_host::admitted(const httplib::Request& req, httplib::Response& res) {
  switch (authenticate(req, req.method != "GET")) {
  case auth_result::ok:
    return true;
  case auth_result::csrf_missing:
    count("csrf refused");
    reply_empty(res, 403);
    return false;
  case auth_result::unauthenticated:
    break;
  }
  count("unauthenticated");
  auto xhr = req.get_header_value("X-Requested-With") == "XMLHttpRequest";
  reply_empty(res, xhr && options_.profile != api_profile::classic ? 401 : 404);
  return false;
}

bool panel_host::route_auth(const httplib::Request& req, httplib::Response& res,
                            const std::string& rel) {
  auto csrf_profile = options_.profile != api_profile::classic;
  if (rel == "csrf-token" && req.method == "GET" && csrf_profile) {
    count("GET csrf-token");
    auto existing = sessions_.find(cookie_of(req));
    std::string csrf = existing != sessions_.end() ? existing->second.csrf : panel_.new_uuid();
    if (existing == sessions_.end()) {
      auto value = new_session({false, csrf, 0});
      set_cookie(res, value, options_.session_max_age_s);
    }
    ojson body{{"success", true}, {"obj", csrf}};
    res.set_content(body.dump(), "application/json; charset=utf-8");
    return true;
  }
  if (rel == "login" && req.method == "POST") {
    count("POST login");
    std::string csrf;
    if (csrf_profile) {
      auto pre = sessions_.find(cookie_of(req));
      auto sent = req.get_header_value("X-CSRF-Token");
      if (pre == sessions_.end() || sent.empty() || sent != pre->second.csrf) {
        reply_empty(res, 403);
        return true;
      }
      csrf = pre->second.csrf;
    }
    auto text = [&](const char* name) {
      auto field = body_field(req, name);
      return field && field->is_string() ? field->get<std::string>() : std::string{};
    };
    auto username = text("username");
    auto password = text("password");
    if (username.empty()) {
      reply_envelope(res, false, "Username is required");
    } else if (password.empty()) {
      reply_envelope(res, false, "Password is required");
    } else if (username != options_.username || password != options_.password
               || !two_factor_ok(text("twoFactorCode"))) {
      reply_envelope(res, false, "Invalid username or password or two-factor code.");
    } else {
      set_cookie(res, new_session({true, csrf, 0}), options_.session_max_age_s);
      reply_envelope(res, true,
                     options_.profile == api_profile::gen2
                         ? "You have successfully logged into your account."
                         : " You have successfully logged into your account.");
    }
    return true;
  }
  if (rel == "logout") {
    count(req.method + " logout");
    if (options_.profile == api_profile::classic && req.method == "GET") {
      set_cookie(res, "", -1);
      res.status = 307;
      res.set_header("Location", options_.base_path);
      return true;
    }
    if (options_.profile != api_profile::classic && req.method == "POST") {
      sessions_.erase(cookie_of(req));
      set_cookie(res, "", -1);
      res.set_content(R"({"success":true})", "application/json; charset=utf-8");
      return true;
    }
    reply_empty(res, 404);
    return true;
  }
  if (rel == "getTwoFactorEnable" && req.method == "POST") {
    count("POST getTwoFactorEnable");
    reply_envelope(res, true, "", !options_.two_factor_secret.empty());
    return true;
  }
  return false;
}

void panel_host::set_fault(fault_mode fault) {
  std::lock_guard<std::mutex> guard{mtx_};
  fault_ = std::move(fault);
}

fault_mode panel_host::fault() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return fault_;
}

void panel_host::expire_sessions() {
  std::lock_guard<std::mutex> guard{mtx_};
  sessions_.clear();
}

void panel_host::wipe() {
  std::lock_guard<std::mutex> guard{mtx_};
  panel_.wipe();
}

bool panel_host::add_traffic(const std::string& email, int64_t up, int64_t down) {
  std::lock_guard<std::mutex> guard{mtx_};
  return panel_.add_traffic(email, up, down);
}

bool panel_host::reset_traffic(const std::string& email) {
  std::lock_guard<std::mutex> guard{mtx_};
  return panel_.reset_traffic(email).empty();
}

void panel_host::set_online(std::vector<std::string> emails) {
  std::lock_guard<std::mutex> guard{mtx_};
  panel_.set_online(std::move(emails));
}

ojson panel_host::counters() const {
  std::lock_guard<std::mutex> guard{mtx_};
  ojson out = ojson::object();
  for (const auto& [key, n] : counters_)
    out[key] = n;
  return out;
}

ojson panel_host::clients() const {
  std::lock_guard<std::mutex> guard{mtx_};
  ojson out = ojson::object();
  for (const auto& in : panel_.inbounds()) {
    auto emails = ojson::array();
    for (const auto& c : in.settings.value("clients", nlohmann::json::array()))
      emails.push_back(c.value("email", ""));
    out[std::to_string(in.id)] = emails;
  }
  return out;
}

std::string panel_host::add_inbound(const nlohmann::json& body, int64_t& id) {
  if (!body.contains("protocol") || !body["protocol"].is_string())
    return "protocol (a string) is required";
  if (!body.contains("port") || !body["port"].is_number_integer())
    return "port (an integer) is required";
  inbound_spec spec;
  spec.protocol = body["protocol"].get<std::string>();
  spec.port = body["port"].get<int64_t>();
  spec.remark = body.value("remark", "");
  spec.listen = body.value("listen", "");
  spec.enable = body.value("enable", true);
  // Like the panel's own API, the three settings come as objects or as JSON text.
  auto object_field = [&](const char* key, nlohmann::json fallback) {
    auto i = body.find(key);
    if (i == body.end())
      return fallback;
    return i->is_string() ? nlohmann::json::parse(i->get<std::string>(), nullptr, false) : *i;
  };
  spec.settings = object_field("settings", nlohmann::json::object());
  spec.stream_settings = object_field("streamSettings", {{"network", "tcp"}, {"security", "none"}});
  spec.sniffing = object_field("sniffing", nullptr);
  if (!spec.sniffing.is_null() && !spec.sniffing.is_object())
    return "sniffing must be a JSON object";
  std::lock_guard<std::mutex> guard{mtx_};
  return panel_.add_inbound(std::move(spec), &id);
}

ojson panel_host::summary() const {
  std::lock_guard<std::mutex> guard{mtx_};
  static constexpr const char* profiles[] = {"classic", "classic-csrf", "gen2"};
  ojson out{{"name", options_.name}, {"port", options_.port}};
  if (options_.sub_port)
    out["sub_port"] = *options_.sub_port;
  out["base_path"] = options_.base_path;
  out["profile"] = profiles[static_cast<int>(options_.profile)];
  out["fault"] = fault_.mode;
  out["latency_ms"] = options_.latency.count();
  out["no_lock"] = options_.no_lock;
  out["clients"] = panel_.client_count();
  return out;
}

} // namespace fleet::fake
