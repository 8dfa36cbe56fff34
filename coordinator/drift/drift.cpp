#include "coordinator/drift/drift.hpp"

#include "common/text.hpp"

#include <map>

namespace fleet {

drift_report compare_clients(const std::string& server_id,
                             const std::vector<client_record>& desired,
                             const std::vector<panel_entry>& actual,
                             const std::set<std::string>& skip,
                             const std::set<std::string>& stale) {
  drift_report out;
  out.server_id = server_id;
  std::map<std::string, const panel_entry*> on_panel;
  for (const auto& e : actual)
    on_panel.emplace(ascii_lower(e.email), &e);
  std::set<std::string> recorded;
  for (const auto& r : desired) {
    auto email = ascii_lower(r.email);
    recorded.insert(email);
    if (skip.count(email) > 0)
      continue;
    auto found = on_panel.find(email);
    if (found == on_panel.end())
      out.missing.push_back(r.email);
    else if (found->second->key != r.uuid)
      out.wrong_key.push_back(r.email);
    else if (found->second->enable != r.active())
      out.wrong_enable.push_back(r.email);
  }
  for (const auto& e : actual) {
    auto email = ascii_lower(e.email);
    if (recorded.count(email) > 0 || skip.count(email) > 0)
      continue;
    if (stale.count(email) > 0)
      out.stale.push_back(e.email);
    else
      out.foreign.push_back(e.email);
  }
  return out;
}

} // namespace fleet
