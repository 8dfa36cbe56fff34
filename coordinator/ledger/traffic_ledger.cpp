#include "coordinator/ledger/traffic_ledger.hpp"

namespace fleet {

sample_outcome traffic_ledger::apply(const std::string& server_id, const std::string& email,
                                     byte_counts now, int64_t read_at_ms) {
  sample_outcome out;
  auto [at, inserted] = entries_.try_emplace({email, server_id});
  auto& e = at->second;
  if (!inserted && read_at_ms <= e.read_at_ms) {
    out.ignored = true;
    return out;
  }
  auto elapsed_ms = inserted ? 0 : read_at_ms - e.read_at_ms;
  if (inserted) {
    // The first sample on a panel charges what the panel counted: a client placed there
    // starts at zero, and one the fleet finds already there brought its bytes along.
    out.added = now;
  } else if (now.up < e.last.up || now.down < e.last.down) {
    out.new_baseline = true;
  } else {
    out.added = byte_counts{now.up - e.last.up, now.down - e.last.down};
  }
  if (max_rate_ > 0 && elapsed_ms > 0
      && static_cast<double>(out.added.total()) * 1000.0 / static_cast<double>(elapsed_ms)
             > static_cast<double>(max_rate_))
    out.suspicious = true;
  e.last = now;
  e.read_at_ms = read_at_ms;
  for (auto* b : {&e.used, &e.carried}) {
    b->up += out.added.up;
    b->down += out.added.down;
  }
  return out;
}

fleet_usage traffic_ledger::usage(const std::string& email) const {
  fleet_usage out;
  for (auto i = entries_.lower_bound({email, ""}); i != entries_.end() && i->first.first == email;
       ++i) {
    out.by_server[i->first.second] = i->second.used;
    out.total.up += i->second.used.up;
    out.total.down += i->second.used.down;
  }
  return out;
}

int64_t traffic_ledger::used(const std::string& email) const {
  int64_t out = 0;
  for (auto i = entries_.lower_bound({email, ""}); i != entries_.end() && i->first.first == email;
       ++i)
    out += i->second.used.total();
  return out;
}

void traffic_ledger::reset_usage(const std::string& email) {
  for (auto i = entries_.lower_bound({email, ""}); i != entries_.end() && i->first.first == email;
       ++i)
    i->second.used = byte_counts{};
}

void traffic_ledger::forget(const std::string& email) {
  auto i = entries_.lower_bound({email, ""});
  while (i != entries_.end() && i->first.first == email) {
    auto& r = retired_[i->first.second];
    r.up += i->second.carried.up;
    r.down += i->second.carried.down;
    i = entries_.erase(i);
  }
}

std::map<std::string, byte_counts> traffic_ledger::by_server() const {
  auto out = retired_;
  for (const auto& [key, e] : entries_) {
    auto& b = out[key.second];
    b.up += e.carried.up;
    b.down += e.carried.down;
  }
  return out;
}

const ledger_entry* traffic_ledger::find(const std::string& server_id,
                                         const std::string& email) const {
  auto i = entries_.find({email, server_id});
  return i == entries_.end() ? nullptr : &i->second;
}

void traffic_ledger::restore(const std::string& server_id, const std::string& email,
                             ledger_entry entry) {
  if (email.empty())
    retired_[server_id] = entry.carried;
  else
    entries_[{email, server_id}] = entry;
}

ledger_entry traffic_ledger::retired_on(const std::string& server_id) const {
  ledger_entry out;
  if (auto i = retired_.find(server_id); i != retired_.end())
    out.carried = i->second;
  return out;
}

} // namespace fleet
