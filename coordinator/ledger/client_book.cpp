#include "coordinator/ledger/client_book.hpp"

#include <utility>

namespace fleet {

void client_book::put(const std::string& email, booked_client client) {
  *clients_.get(email).first = std::move(client);
}

void client_book::erase(const std::string& email) {
  clients_.erase(email);
}

booked_client* client_book::find(const std::string& email) {
  return clients_.find(email);
}

const booked_client* client_book::find(const std::string& email) const {
  return clients_.find(email);
}

booked_client* client_book::find(const std::string& email, position& hint) {
  if (auto* known = clients_.at(hint, email))
    return known;
  hint = clients_.position_of(email);
  return clients_.at(hint, email);
}

} // namespace fleet
