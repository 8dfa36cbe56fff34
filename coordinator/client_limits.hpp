#pragma once

// A recorded client as the traffic ledger sees it: its limits and its place in the book.

#include "coordinator/ledger/client_book.hpp"
#include "coordinator/store/records.hpp"

namespace fleet {

/// The limits of `r`.
[[nodiscard]] inline client_terms terms_of(const client_record& r) noexcept {
  return client_terms{bytes_of_gb(r.total_gb), r.expiry_time_ms};
}

/// Books `r` (or books it again after a change).
inline void book_client(client_book& book, const client_record& r) {
  book.put(r.email,
           booked_client{r.server_id, terms_of(r), r.enable, parse_limit_reason(r.limited)});
}

} // namespace fleet
