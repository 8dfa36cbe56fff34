// Collecting a subscription, after 3x-ui's internal/sub/service.go (`getSubs`,
// `resolveInboundAddress`, `AggregateTrafficByEmails`).

#include "tools/fake_xui/sub_service.hpp"

#include "common/text.hpp"
#include "tools/fake_xui/json_fields.hpp"
#include "tools/fake_xui/sub_links.hpp"
#include "tools/fake_xui/sub_remark.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <set>

namespace fleet::fake {

namespace {

/// Whether `host` is an IP literal, and then whether it is loopback / unspecified.
struct ip_kind {
  bool ip = false;
  bool loopback = false;
  bool unspecified = false;
};

ip_kind classify(std::string host) {
  if (!host.empty() && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned char v4[4];
  unsigned char v6[16];
  if (inet_pton(AF_INET, host.c_str(), v4) == 1)
    return {true, v4[0] == 127, v4[0] == 0 && v4[1] == 0 && v4[2] == 0 && v4[3] == 0};
  if (inet_pton(AF_INET6, host.c_str(), v6) != 1)
    return {};
  auto zero_until
      = [&](size_t n) { return std::all_of(v6, v6 + n, [](unsigned char b) { return b == 0; }); };
  auto mapped = zero_until(10) && v6[10] == 0xff && v6[11] == 0xff;
  if (mapped)
    return {true, v6[12] == 127, v6[12] == 0 && v6[13] == 0 && v6[14] == 0 && v6[15] == 0};
  return {true, zero_until(15) && v6[15] == 1, zero_until(16)};
}

/// 3x-ui `resolveInboundAddress` without nodes and share-address strategies.
std::string inbound_address(const inbound& in, const std::string& public_host,
                            const std::string& request_address) {
  const auto& listen = in.listen;
  if (!listen.empty() && listen[0] != '@' && listen[0] != '/' && routable_host(listen))
    return listen;
  return !public_host.empty() ? public_host : request_address;
}

remark_stats stats_of(const fake_panel& panel, const nlohmann::json& client) {
  if (const auto* t = panel.find_traffic(string_or(client, "email")))
    return {t->up, t->down, t->total, t->expiry_time};
  return {0, 0, int_or(client, "totalGB", 0), int_or(client, "expiryTime", 0)};
}

/// 3x-ui `subscriptionExpiryFromClient`: a delayed start counts from now.
int64_t effective_expiry(int64_t now_ms, int64_t expiry) {
  return expiry < 0 ? now_ms - expiry : expiry;
}

void add_usage(subscription& out, const fake_panel& panel, const std::vector<std::string>& emails,
               int64_t now_ms) {
  std::vector<const client_traffic*> rows;
  for (const auto& email : emails)
    if (const auto* t = panel.find_traffic(email))
      rows.push_back(t);
  std::sort(rows.begin(), rows.end(),
            [](const client_traffic* a, const client_traffic* b) { return a->id < b->id; });
  for (size_t i = 0; i < rows.size(); ++i) {
    auto expiry = effective_expiry(now_ms, rows[i]->expiry_time);
    out.up += rows[i]->up;
    out.down += rows[i]->down;
    if (i == 0) {
      out.total = rows[i]->total;
      out.expiry_ms = expiry;
      continue;
    }
    out.total = out.total == 0 || rows[i]->total == 0 ? 0 : out.total + rows[i]->total;
    if (expiry != out.expiry_ms)
      out.expiry_ms = 0;
  }
}

} // namespace

bool routable_host(const std::string& host) {
  if (host.empty())
    return false;
  auto kind = classify(host);
  return !kind.ip || (!kind.loopback && !kind.unspecified);
}

subscription collect_subscription(fake_panel& panel, const subscription_request& req) {
  // 3x-ui `PrepareForRequest`: an unroutable request host gives way to the configured domain.
  auto request_address = req.host;
  if (!routable_host(request_address)) {
    if (!req.public_host.empty())
      request_address = req.public_host;
    else if (classify(request_address).loopback)
      request_address = "localhost";
  }
  subscription out;
  std::vector<std::string> emails;
  std::set<std::string> remarked;
  for (const auto& in : panel.inbounds()) {
    static const char* const listed[] = {"vmess", "vless", "trojan", "shadowsocks"};
    if (!in.enable || std::none_of(std::begin(listed), std::end(listed), [&](const char* p) {
          return in.protocol == p;
        }))
      continue;
    auto address = inbound_address(in, req.public_host, request_address);
    std::set<std::string> seen;
    for (const auto& client : clients_in(in)) {
      auto email = string_or(client, "email");
      if (string_or(client, "subId") != req.sub_id || !seen.insert(ascii_lower(email)).second)
        continue;
      auto stats = stats_of(panel, client);
      auto remark = [&] {
        // The full template on a client's first link, its name alone on the later ones.
        auto first = req.body && remarked.insert(email).second;
        auto tmpl = !req.body ? "{{INBOUND}}-{{EMAIL}}"
                    : first   ? default_remark_template
                              : "{{INBOUND}}";
        return expand_remark(tmpl, in.remark, email, stats, req.now_ms);
      };
      for (auto& link : share_links(in, client, address, remark, panel.rng()))
        out.links.push_back(std::move(link));
      if (std::find(emails.begin(), emails.end(), email) == emails.end())
        emails.push_back(email);
    }
  }
  add_usage(out, panel, emails, req.now_ms);
  return out;
}

} // namespace fleet::fake
