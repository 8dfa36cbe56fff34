#include "coordinator/ledger/client_book.hpp"

#include <utility>

namespace fleet {

void client_book::put(const std::string& email, booked_client client) {
  clients_[email] = std::move(client);
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
