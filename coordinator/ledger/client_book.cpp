#include "coordinator/ledger/client_book.hpp"

#include "coordinator/store/records.hpp"

namespace fleet {

client_terms terms_of(const client_record& r) noexcept {
  return client_terms{bytes_of_gb(r.total_gb), r.expiry_time_ms};
}

void client_book::put(const client_record& r) {
  clients_[r.email] = booked_client{r.server_id, terms_of(r), r.enable, parse_limit_reason(r.limited)};
}

void client_book::erase(const std::string& email) {
  clients_.erase(email);
}

booked_client* client_book::find(const std::string& email) {
  auto i = clients_.find(email);
  return i == clients_.end() ? nullptr : &i->second;
}

const booked_client* client_book::find(const std::string& email) const {
  auto i = clients_.find(email);
  return i == clients_.end() ? nullptr : &i->second;
}

} // namespace fleet
