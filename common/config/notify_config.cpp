// `coordinator.webhooks` and `coordinator.alerts`: reading and checking. Secrets (webhook
// secrets, the bot token) are never quoted in a problem.

#include "common/config/notify_settings.hpp"
#include "common/json_reader.hpp"
#include "common/model/event_types.hpp"
#include "common/text.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace fleet {

namespace {

using severity = field_problem::severity;

/// Shortest accepted webhook secret.
constexpr size_t min_secret = 16;

/// Why `url` is not an absolute http(s) URL with a host, or an empty string.
std::string url_problem(const std::string& url) {
  auto scheme_end = url.find("://");
  auto scheme = scheme_end == std::string::npos ? std::string{} : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https")
    return "must start with http:// or https://, e.g. https://hooks.example.net/fleet";
  auto rest = url.substr(scheme_end + 3);
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  auto host
      = authority.substr(authority.rfind('@') == std::string::npos ? 0 : authority.rfind('@') + 1);
  if (host.empty() || host.front() == ':')
    return "has no host; write it as scheme://host[:port]/path";
  if (url.find_first_of(" \t\r\n") != std::string::npos)
    return "must not contain spaces or line breaks";
  return {};
}

webhook_settings read_webhook(const nlohmann::json& object, const std::string& path,
                              field_problems& problems) {
  webhook_settings w;
  json_reader r{object, path, problems};
  if (!r.valid())
    return w;
  r.string("url", w.url, true);
  r.string("secret", w.secret, true);
  if (r.has("events"))
    r.strings("events", w.events);
  r.duration("timeout", w.timeout);
  r.duration("retry_min", w.retry_min);
  r.duration("retry_max", w.retry_max);
  r.warn_unknown({"url", "secret", "events", "timeout", "retry_min", "retry_max"});
  return w;
}

void error(field_problems& problems, std::string field, std::string reason) {
  problems.push_back({severity::error, std::move(field), std::move(reason)});
}

/// Problems already reported for `path` (a missing or mistyped field): no second one.
bool reported(const field_problems& problems, const std::string& path) {
  for (const auto& p : problems)
    if (p.field == path)
      return true;
  return false;
}

void check_webhook(const webhook_settings& w, const std::string& path, field_problems& problems) {
  if (!w.url.empty())
    if (auto why = url_problem(w.url); !why.empty())
      error(problems, path + ".url", why);
  if (w.secret.size() < min_secret && !reported(problems, path + ".secret"))
    error(problems, path + ".secret",
          "too short; use at least " + std::to_string(min_secret)
              + " random characters (e.g. openssl rand -hex 32)");
  if (w.events.empty())
    error(problems, path + ".events", "empty; list event types such as \"server.*\" or \"*\"");
  std::set<std::string> families{"*"};
  for (const auto& t : known_event_types())
    families.insert(t.substr(0, t.find('.')) + ".*");
  for (size_t j = 0; j < w.events.size(); ++j)
    if (!valid_event_pattern(w.events[j]))
      error(problems, path + ".events[" + std::to_string(j) + "]",
            "\"" + w.events[j] + "\" matches no event type; use a type such as client.created, "
                + "or one of " + join(std::vector<std::string>{families.begin(), families.end()}));
  if (w.timeout.count() <= 0)
    error(problems, path + ".timeout", "must be positive, e.g. \"10s\"");
  if (w.retry_min.count() <= 0)
    error(problems, path + ".retry_min", "must be positive, e.g. \"1s\"");
  else if (w.retry_max < w.retry_min)
    error(problems, path + ".retry_max",
          format_duration(w.retry_max) + " must not be shorter than retry_min ("
              + format_duration(w.retry_min) + ")");
}

void check_telegram(const telegram_settings& t, field_problems& problems) {
  const std::string path = "coordinator.alerts.telegram";
  if (t.bot_token.empty())
    return;
  if (t.bot_token.find(':') == std::string::npos
      || t.bot_token.find_first_of(" /?#\t\r\n") != std::string::npos)
    error(problems, path + ".bot_token",
          "is not a bot token (\"<digits>:<letters>\", as @BotFather gives it)");
  if (t.chat_id.empty() && !reported(problems, path + ".chat_id"))
    error(problems, path + ".chat_id", "missing; the chat or channel (\"@name\") to write to");
  if (auto why = url_problem(t.api_base); !why.empty())
    error(problems, path + ".api_base", why);
  if (t.group_window.count() < 0)
    error(problems, path + ".group_window", "must not be negative");
  if (t.hold_down.count() < 0)
    error(problems, path + ".hold_down", "must not be negative");
}

} // namespace

void read_webhooks(json_reader& parent, const nlohmann::json& coordinator,
                   std::vector<webhook_settings>& out, field_problems& problems) {
  if (!parent.has("webhooks"))
    return;
  const auto& list = coordinator.at("webhooks");
  if (!list.is_array()) {
    parent.fail("webhooks",
                "expected an array of {url, secret, events, timeout}, got " + json_type_name(list));
    return;
  }
  for (size_t i = 0; i < list.size(); ++i)
    out.push_back(read_webhook(list[i], parent.path_of("webhooks") + "[" + std::to_string(i) + "]",
                               problems));
}

void read_alerts(json_reader& parent, const nlohmann::json& coordinator, alert_settings& out,
                 field_problems& problems) {
  if (!parent.has("alerts"))
    return;
  const auto& alerts = coordinator.at("alerts");
  json_reader r{alerts, parent.path_of("alerts"), problems};
  if (!r.valid())
    return;
  r.warn_unknown({"telegram"});
  if (!r.has("telegram"))
    return;
  auto& t = out.telegram;
  json_reader tr{alerts.at("telegram"), r.path_of("telegram"), problems};
  if (!tr.valid())
    return;
  tr.string("bot_token", t.bot_token, true);
  tr.string("chat_id", t.chat_id, true);
  tr.string("api_base", t.api_base);
  while (!t.api_base.empty() && t.api_base.back() == '/')
    t.api_base.pop_back();
  tr.duration("group_window", t.group_window);
  tr.duration("hold_down", t.hold_down);
  tr.warn_unknown({"bot_token", "chat_id", "api_base", "group_window", "hold_down"});
  if (const auto& token = alerts.at("telegram").value("bot_token", nlohmann::json{});
      token.is_string() && t.bot_token.empty())
    tr.fail("bot_token", "must not be empty; leave out alerts.telegram to turn alerts off");
}

void check_notify(const std::vector<webhook_settings>& webhooks, const alert_settings& alerts,
                  field_problems& problems) {
  std::set<std::string> urls;
  for (size_t i = 0; i < webhooks.size(); ++i) {
    auto path = "coordinator.webhooks[" + std::to_string(i) + "]";
    check_webhook(webhooks[i], path, problems);
    // The URL names the webhook's stored cursor.
    if (!webhooks[i].url.empty() && !urls.insert(webhooks[i].url).second)
      error(problems, path + ".url",
            "used by an earlier webhook; list each receiver once with all its events");
  }
  check_telegram(alerts.telegram, problems);
}

} // namespace fleet
