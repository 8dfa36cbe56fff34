#include "tools/fake_xui/sub_remark.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cstdio>
#include <regex>
#include <vector>

namespace fleet::fake {

// "📊" is U+1F4CA, "⏳" U+23F3.
const char* const default_remark_template
    = "{{INBOUND}}-{{EMAIL}}|\xF0\x9F\x93\x8A{{TRAFFIC_LEFT}}|\xE2\x8F\xB3{{DAYS_LEFT}}D";

namespace {

/// What the quota and expiry tokens show for an unlimited client ("∞").
const std::string unlimited = "\xE2\x88\x9E";

std::string days_left(int64_t expiry_ms, int64_t now_ms) {
  if (expiry_ms == 0)
    return unlimited;
  auto expiry_s = expiry_ms / 1000;
  // A negative expiry is the duration itself (the clock starts on first use).
  auto seconds = expiry_s > 0 ? expiry_s - now_ms / 1000 : -expiry_s;
  auto days = seconds / 86400;
  return days < 0 ? "0" : std::to_string(days);
}

std::string token_value(const std::string& token, const std::string& inbound_remark,
                        const std::string& email, const remark_stats& st, int64_t now_ms) {
  if (token == "INBOUND")
    return inbound_remark;
  if (token == "EMAIL")
    return email;
  if (token == "TRAFFIC_LEFT")
    return st.total <= 0 ? unlimited
                         : format_traffic(std::max<int64_t>(st.total - (st.up + st.down), 0));
  if (token == "DAYS_LEFT")
    return days_left(st.expiry_ms, now_ms);
  return {};
}

bool trims_to_hyphen(const std::string& text) {
  auto first = text.find_first_not_of(" \t\r\n");
  auto last = text.find_last_not_of(" \t\r\n");
  return first != std::string::npos && first == last && text[first] == '-';
}

} // namespace

std::string format_traffic(int64_t bytes) {
  static const char* const units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  auto size = static_cast<double>(bytes);
  size_t unit = 0;
  while (size >= 1024 && unit < 5) {
    size /= 1024;
    ++unit;
  }
  char out[64];
  std::snprintf(out, sizeof(out), "%.2f%s", size, units[unit]);
  return out;
}

std::string expand_remark(const std::string& tmpl, const std::string& inbound_remark,
                          const std::string& email, const remark_stats& stats, int64_t now_ms) {
  static const std::regex token_re{R"(\{\{([A-Z_]+)\}\})"};
  if (tmpl.find("{{") == std::string::npos)
    return tmpl;
  std::vector<std::string> kept;
  size_t begin = 0;
  while (begin <= tmpl.size()) {
    auto end = std::min(tmpl.find('|', begin), tmpl.size());
    auto seg = tmpl.substr(begin, end - begin);
    begin = end + 1;
    struct token {
      std::string value;
      bool counts;
      size_t start;
      size_t end;
    };
    std::vector<token> tokens;
    for (std::sregex_iterator i{seg.begin(), seg.end(), token_re}, last; i != last; ++i) {
      auto name = (*i)[1].str();
      auto value = token_value(name, inbound_remark, email, stats, now_ms);
      auto quota = name == "TRAFFIC_LEFT" || name == "DAYS_LEFT";
      tokens.push_back({value, !value.empty() && !(quota && value == unlimited),
                        static_cast<size_t>(i->position()),
                        static_cast<size_t>(i->position() + i->length())});
    }
    auto any_value
        = std::any_of(tokens.begin(), tokens.end(), [](const token& t) { return t.counts; });
    if (!tokens.empty() && !any_value)
      continue;
    std::string out;
    size_t at = 0;
    bool wrote = false;
    for (size_t k = 0; k < tokens.size(); ++k) {
      out += seg.substr(at, tokens[k].start - at) + tokens[k].value;
      wrote = wrote || !tokens[k].value.empty();
      at = tokens[k].end;
      if (k + 1 < tokens.size() && trims_to_hyphen(seg.substr(at, tokens[k + 1].start - at))
          && (!wrote || tokens[k + 1].value.empty()))
        at = tokens[k + 1].start;
    }
    kept.push_back(out + seg.substr(at));
  }
  auto joined = join(kept, "|");
  auto blank = joined.find_first_not_of(" \t\r\n") == std::string::npos;
  return blank ? inbound_remark : joined;
}

} // namespace fleet::fake
