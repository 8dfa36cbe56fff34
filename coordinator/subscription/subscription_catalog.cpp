#include "coordinator/subscription/subscription_catalog.hpp"

#include <tuple>

namespace fleet {

namespace {

bool same(const inbound_profile& a, const inbound_profile& b) {
  return std::tie(a.id, a.protocol, a.listen, a.port, a.remark, a.enable, a.settings,
                  a.stream_settings)
         == std::tie(b.id, b.protocol, b.listen, b.port, b.remark, b.enable, b.settings,
                     b.stream_settings);
}

bool same(const std::vector<inbound_profile>& a, const std::vector<inbound_profile>& b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i]))
      return false;
  return true;
}

} // namespace

std::vector<std::string>
subscription_catalog::update(const std::string& server_id,
                             const std::vector<inbound_profile>& inbounds) {
  auto& s = servers_[server_id];
  std::vector<std::string> news;
  if (!s.raw.empty() && same(s.raw, inbounds))
    return news;
  s.raw = inbounds;
  s.parsed.clear();
  for (const auto& in : inbounds) {
    auto profile = read_link_profile(in);
    if (profile) {
      s.parsed[in.id] = std::make_shared<const link_profile>(std::move(*profile));
      continue;
    }
    auto reason = message_of(profile.error());
    if (s.reported.insert(reason).second)
      news.push_back(std::move(reason));
  }
  return news;
}

std::shared_ptr<const link_profile> subscription_catalog::find(const std::string& server_id,
                                                               int64_t inbound_id) const {
  auto s = servers_.find(server_id);
  if (s == servers_.end())
    return nullptr;
  auto p = s->second.parsed.find(inbound_id);
  return p == s->second.parsed.end() ? nullptr : p->second;
}

} // namespace fleet
