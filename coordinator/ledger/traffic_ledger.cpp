#include "coordinator/ledger/traffic_ledger.hpp"

#include "common/saturating.hpp"

#include <algorithm>
#include <tuple>

namespace fleet {

namespace {

/// Counts a panel reported may be anything up to the int64 limits: sums are held there.
void add(byte_counts& to, const byte_counts& x) noexcept {
  to.up = saturating_add(to.up, x.up);
  to.down = saturating_add(to.down, x.down);
}

int64_t used_of(const byte_counts& x) noexcept {
  return saturating_add(x.up, x.down);
}

} // namespace

int64_t hour_of(int64_t ms) noexcept {
  constexpr int64_t hour = 3'600'000;
  return ms - ((ms % hour) + hour) % hour;
}

sample_outcome traffic_ledger::apply(const std::string& server_id, const std::string& email,
                                     byte_counts now, int64_t read_at_ms) {
  return apply(*clients_.get(email).first, server_id, now, read_at_ms);
}

sample_outcome traffic_ledger::apply(position& hint, const std::string& server_id,
                                     const std::string& email, byte_counts now,
                                     int64_t read_at_ms) {
  auto* panels = clients_.at(hint, email);
  if (panels == nullptr)
    std::tie(panels, hint) = clients_.get(email);
  return apply(*panels, server_id, now, read_at_ms);
}

sample_outcome traffic_ledger::apply(std::vector<panel_entry>& panels, const std::string& server_id,
                                     byte_counts now, int64_t read_at_ms) {
  sample_outcome out;
  auto at = std::find_if(panels.begin(), panels.end(),
                         [&](const panel_entry& p) { return p.server_id == server_id; });
  bool inserted = at == panels.end();
  if (inserted) {
    at = panels.insert(panels.end(), panel_entry{server_id, {}});
    ++size_;
  }
  auto& e = at->entry;
  if (!inserted && read_at_ms <= e.read_at_ms) {
    out.ignored = true;
  } else {
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
    add(e.used, out.added);
    add(e.carried, out.added);
    if (out.added.total() > 0) {
      auto h = hour_of(read_at_ms);
      if (h != e.hour_ms) {
        out.closed_hour_ms = e.hour_ms;
        out.closed_bytes = e.hour_bytes;
        e.hour_ms = h;
        e.hour_bytes = byte_counts{};
      }
      add(e.hour_bytes, out.added);
    }
  }
  out.entry = &e;
  for (const auto& p : panels)
    out.used = saturating_add(out.used, used_of(p.entry.used));
  return out;
}

void traffic_ledger::add_open_hours(const std::string& email, int64_t from_ms, int64_t to_ms,
                                    std::vector<usage_bucket>& hours) const {
  const auto* panels = clients_.find(email);
  if (panels == nullptr)
    return;
  for (const auto& p : *panels) {
    const auto& e = p.entry;
    if (e.hour_bytes.total() == 0 || e.hour_ms < from_ms || e.hour_ms >= to_ms)
      continue;
    auto at = std::lower_bound(hours.begin(), hours.end(), e.hour_ms,
                               [](const usage_bucket& b, int64_t h) { return b.hour_ms < h; });
    if (at == hours.end() || at->hour_ms != e.hour_ms)
      at = hours.insert(at, usage_bucket{email, e.hour_ms, {}});
    add(at->bytes, e.hour_bytes);
  }
}

fleet_usage traffic_ledger::usage(const std::string& email) const {
  fleet_usage out;
  if (const auto* panels = clients_.find(email))
    for (const auto& p : *panels) {
      out.by_server[p.server_id] = p.entry.used;
      add(out.total, p.entry.used);
    }
  return out;
}

int64_t traffic_ledger::used(const std::string& email) const {
  int64_t out = 0;
  if (const auto* panels = clients_.find(email))
    for (const auto& p : *panels)
      out = saturating_add(out, used_of(p.entry.used));
  return out;
}

void traffic_ledger::reset_usage(const std::string& email) {
  if (auto* panels = clients_.find(email))
    for (auto& p : *panels)
      p.entry.used = byte_counts{};
}

void traffic_ledger::forget(const std::string& email) {
  auto* panels = clients_.find(email);
  if (panels == nullptr)
    return;
  for (const auto& p : *panels)
    add(retired_[p.server_id], p.entry.carried);
  size_ -= panels->size();
  clients_.erase(email);
}

std::map<std::string, byte_counts> traffic_ledger::by_server() const {
  auto out = retired_;
  clients_.for_each([&out](const std::string&, const std::vector<panel_entry>& panels) {
    for (const auto& p : panels)
      add(out[p.server_id], p.entry.carried);
  });
  return out;
}

const ledger_entry* traffic_ledger::find(const std::string& server_id,
                                         const std::string& email) const {
  if (const auto* panels = clients_.find(email))
    for (const auto& p : *panels)
      if (p.server_id == server_id)
        return &p.entry;
  return nullptr;
}

void traffic_ledger::restore(const std::string& server_id, const std::string& email,
                             ledger_entry entry) {
  if (email.empty()) {
    retired_[server_id] = entry.carried;
    return;
  }
  auto& panels = *clients_.get(email).first;
  for (auto& p : panels)
    if (p.server_id == server_id) {
      p.entry = entry;
      return;
    }
  panels.push_back(panel_entry{server_id, entry});
  ++size_;
}

ledger_entry traffic_ledger::retired_on(const std::string& server_id) const {
  ledger_entry out;
  if (auto i = retired_.find(server_id); i != retired_.end())
    out.carried = i->second;
  return out;
}

std::vector<ledger_record> traffic_ledger::records() const {
  std::vector<ledger_record> out;
  out.reserve(size_);
  clients_.for_each([&out](const std::string& email, const std::vector<panel_entry>& panels) {
    for (const auto& p : panels)
      out.push_back(ledger_record{p.server_id, email, p.entry});
  });
  std::sort(out.begin(), out.end(), [](const ledger_record& x, const ledger_record& y) {
    return std::tie(x.email, x.server_id) < std::tie(y.email, y.server_id);
  });
  return out;
}

} // namespace fleet
