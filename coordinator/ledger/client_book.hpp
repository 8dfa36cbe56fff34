#pragma once

#include "coordinator/ledger/email_slots.hpp"
#include "coordinator/ledger/usage_limits.hpp"

#include <cstddef>
#include <string>

namespace fleet {

/// What sampling needs of one recorded client: where it lives and its limits.
struct booked_client {
  std::string server_id;
  client_terms terms;
  /// The bot's or operator's switch.
  bool enable = true;
  /// Why the fleet stopped it (as recorded).
  limit_reason limited = limit_reason::none;
};

/// Every recorded client's server and limits, in memory, so that a sample round over
/// thousands of clients reads no record from the store. Kept equal to the stored records by
/// the coordinator (restored at start, updated with every recorded change).
class client_book {
public:
  /// Where a client is in the book (see `find` with a hint).
  using position = email_slots<booked_client>::position;

  void put(const std::string& email, booked_client client);
  void erase(const std::string& email);

  /// The client `email`, or null when the fleet has none.
  [[nodiscard]] booked_client* find(const std::string& email);
  [[nodiscard]] const booked_client* find(const std::string& email) const;

  /// `find`, trying `hint` (where `email` was before, or `no_position`) first; sets
  /// `hint` to where it is now.
  [[nodiscard]] booked_client* find(const std::string& email, position& hint);

  /// Asks the processor to fetch what is at `p` (a hint about to be tried).
  void prefetch(position p) const noexcept { clients_.prefetch(p); }

  [[nodiscard]] size_t size() const noexcept { return clients_.size(); }

private:
  email_slots<booked_client> clients_;
};

} // namespace fleet
