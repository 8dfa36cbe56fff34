#include "coordinator/subscription/subscription.hpp"

#include "coordinator/subscription/config_renderers.hpp"
#include "coordinator/subscription/link_parts.hpp"
#include "coordinator/subscription/url_text.hpp"

namespace fleet {

namespace subscription_detail {

std::string entry_problem(const subscription_entry& e) {
  if (e.profile == nullptr)
    return "the entry has no inbound profile";
  if (!e.profile->enable)
    return "the inbound is disabled";
  return {};
}

std::string fallback_name(const subscription_entry& e) {
  return std::string{to_string(e.profile->protocol)} + "-" + bare_host(e.address) + "-"
         + std::to_string(entry_port(e));
}

std::vector<nlohmann::ordered_json> map_entries(const std::vector<subscription_entry>& entries,
                                                proxy_names& names, const char* name_key,
                                                const proxy_mapper& map,
                                                std::vector<left_out_entry>& left_out) {
  std::vector<nlohmann::ordered_json> out;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    auto why = entry_problem(e);
    std::optional<nlohmann::ordered_json> proxy;
    if (why.empty())
      proxy = map(e, why);
    if (!proxy) {
      left_out.push_back({i, why});
      continue;
    }
    (*proxy)[name_key] = names.claim(e.remark, fallback_name(e));
    out.push_back(std::move(*proxy));
  }
  return out;
}

} // namespace subscription_detail

namespace {

rendered_subscription render_links(const subscriber& s,
                                   const std::vector<subscription_entry>& entries) {
  rendered_subscription out;
  out.content_type = "text/plain; charset=utf-8";
  out.filename = "subscription.txt";
  std::string text;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (auto why = subscription_detail::entry_problem(entries[i]); !why.empty()) {
      out.left_out.push_back({i, why});
      continue;
    }
    text += share_link(entries[i], s);
    text += '\n';
  }
  out.body = base64_encode(text);
  return out;
}

} // namespace

rendered_subscription render_subscription(subscription_format f, const subscriber& s,
                                          const std::vector<subscription_entry>& entries) {
  switch (f) {
  case subscription_format::clash:
    return subscription_detail::render_clash(s, entries);
  case subscription_format::singbox:
    return subscription_detail::render_singbox(s, entries);
  case subscription_format::base64:
    break;
  }
  return render_links(s, entries);
}

std::string subscription_userinfo(int64_t upload, int64_t download, int64_t total,
                                  int64_t expire_s) {
  return "upload=" + std::to_string(upload) + "; download=" + std::to_string(download)
         + "; total=" + std::to_string(total) + "; expire=" + std::to_string(expire_s);
}

std::string profile_title(std::string_view title) {
  return "base64:" + base64_encode(title);
}

std::string content_disposition(std::string_view title, std::string_view filename) {
  if (title.empty())
    return "attachment; filename=\"" + std::string{filename} + "\"";
  // RFC 5987 attr-char; Go's url.PathEscape would leave `:`, `@` and `=` as they are.
  return "attachment; filename*=UTF-8''" + percent_encode(title, "!#$&+-.^_`|~");
}

} // namespace fleet
