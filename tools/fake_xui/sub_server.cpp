// The panel's subscription listener and the links of the v3.1+ API, after 3x-ui's
// internal/sub/controller.go (`subs`, `ApplyCommonHeaders`, `writeSubError`) and `ResolveRequest`.

#include "common/clock.hpp"
#include "tools/fake_xui/panel_host.hpp"
#include "tools/fake_xui/reply.hpp"
#include "tools/fake_xui/sub_encoding.hpp"
#include "tools/fake_xui/sub_service.hpp"

#include <algorithm>

namespace fleet::fake {

namespace {

/// `host` without its port: "[::1]:80" gives "::1", "a.net:80" gives "a.net".
std::string strip_port(std::string host) {
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    return close == std::string::npos ? host : host.substr(1, close - 1);
  }
  if (std::count(host.begin(), host.end(), ':') == 1)
    return host.substr(0, host.find(':'));
  return host;
}

std::string trimmed(std::string text) {
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  return text;
}

/// 3x-ui `ResolveRequest`: scheme, host without port, and host as the client wrote it.
struct resolved_request {
  std::string scheme = "http";
  std::string host;
  std::string host_with_port;
};

resolved_request resolve(const httplib::Request& req) {
  resolved_request out;
  auto proto = req.get_header_value("X-Forwarded-Proto");
  std::transform(proto.begin(), proto.end(), proto.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (proto == "https")
    out.scheme = "https";
  auto forwarded = req.get_header_value("X-Forwarded-Host");
  out.host = strip_port(trimmed(forwarded.substr(0, forwarded.find(','))));
  if (out.host.empty())
    out.host = req.get_header_value("X-Real-IP");
  if (out.host.empty())
    out.host = strip_port(req.get_header_value("Host"));
  out.host_with_port = !forwarded.empty() ? forwarded : req.get_header_value("Host");
  if (out.host_with_port.empty())
    out.host_with_port = out.host;
  return out;
}

} // namespace

void panel_host::handle_subscription(const httplib::Request& req, httplib::Response& res) {
  auto parts = split_path(req.path);
  std::lock_guard<std::mutex> guard{mtx_};
  auto readable = req.method == "GET" || req.method == "HEAD";
  if (!readable || parts.size() != 2 || parts[0] != "sub") {
    count("sub unrouted");
    reply_empty(res, 404);
    return;
  }
  count(req.method + " sub/:subid");
  auto where = resolve(req);
  auto sub = collect_subscription(
      panel_, {parts[1], where.host, options_.sub_host, true, real_clock().wall_ms()});
  if (sub.links.empty()) {
    // v3.1+ answers an unknown subscription with an empty 404, older panels with 400 "Error!".
    if (options_.profile == api_profile::gen2) {
      reply_empty(res, 404);
    } else {
      res.status = 400;
      res.set_content("Error!", "text/plain; charset=utf-8");
    }
    return;
  }
  res.set_header("Subscription-Userinfo", "upload=" + std::to_string(sub.up)
                                              + "; download=" + std::to_string(sub.down)
                                              + "; total=" + std::to_string(sub.total)
                                              + "; expire=" + std::to_string(sub.expiry_ms / 1000));
  res.set_header("Profile-Update-Interval", "12");
  if (!options_.sub_title.empty())
    res.set_header("Profile-Title", "base64:" + base64_std(options_.sub_title));
  res.set_header("Profile-Web-Page-Url", where.scheme + "://" + where.host_with_port + req.target);
  // The routing header is always sent up to v3.5 (on by default up to v3.2.6), only when
  // enabled from v3.6 on.
  if (options_.profile != api_profile::gen2)
    res.set_header("Routing-Enable", "true");
  std::string text;
  for (const auto& link : sub.links)
    text += link + "\n";
  res.status = 200;
  res.set_content(base64_std(text), "text/plain; charset=utf-8");
}

bool panel_host::route_sub_links(const httplib::Request& req, httplib::Response& res,
                                 const std::vector<std::string>& parts) {
  std::vector<std::string> args;
  if (req.method != "GET" || !match(parts, "panel/api/clients/subLinks/:subId", args))
    return false;
  count("GET panel/api/clients/subLinks/:subId");
  auto where = resolve(req);
  auto sub = collect_subscription(
      panel_, {args[0], where.host, options_.sub_host, false, real_clock().wall_ms()});
  reply_envelope(res, true, "", sub.links);
  return true;
}

} // namespace fleet::fake
