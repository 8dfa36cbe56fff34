#include "common/panel/placement.hpp"

#include "common/text.hpp"

#include <mutex>

namespace fleet {

const panel_inbound* choose_inbound(const std::vector<panel_inbound>& inbounds,
                                    std::optional<int64_t> configured) {
  for (const auto& in : inbounds)
    if (configured
            ? in.id == *configured
            : in.enable
                  && (in.protocol == "vless" || in.protocol == "vmess" || in.protocol == "trojan"))
      return &in;
  return nullptr;
}

void place_clients(std::shared_ptr<panel_client> client, std::optional<int64_t> configured,
                   std::optional<placement_target> target, bool verify,
                   std::vector<client_order> orders,
                   std::function<void(caf::expected<placement_outcome>)> done) {
  if (target && !verify) {
    client->add_clients(
        target->inbound_id, target->protocol, orders,
        [client, configured, target, orders, done](caf::expected<caf::unit_t> added) {
          if (added)
            return done(placement_outcome{target->inbound_id, target->protocol, {}});
          // A duplicate email fails the whole call: find out which, and add the others.
          if (code_of(added.error()) == ec::conflict)
            return place_clients(client, configured, target, true, orders, done);
          done(std::move(added.error()));
        });
    return;
  }
  client->inbounds([client, configured, orders = std::move(orders),
                    done](caf::expected<std::vector<panel_inbound>> inbounds) {
    if (!inbounds)
      return done(std::move(inbounds.error()));
    const auto* chosen = choose_inbound(*inbounds, configured);
    if (chosen == nullptr)
      return done(make_error(ec::panel_error,
                             configured ? "add clients: the panel has no inbound "
                                              + std::to_string(*configured)
                                        : std::string{"add clients: the panel has no enabled "
                                                      "vless, vmess or trojan inbound; set "
                                                      "inbound_id"}));
    placement_outcome outcome{chosen->id, chosen->protocol, {}};
    std::vector<client_order> to_add;
    for (const auto& o : orders) {
      const panel_client_info* existing = nullptr;
      for (const auto& in : *inbounds)
        for (const auto& c : in.clients)
          if (ascii_lower(c.email) == ascii_lower(o.email))
            existing = &c;
      if (existing == nullptr)
        to_add.push_back(o);
      else if (existing->uuid != o.uuid && existing->key != o.uuid)
        outcome.refused.push_back(o.email);
      // else: an earlier attempt already added it.
    }
    if (to_add.empty())
      return done(std::move(outcome));
    client->add_clients(chosen->id, chosen->protocol, std::move(to_add),
                        [outcome, done](caf::expected<caf::unit_t> added) {
                          if (!added)
                            return done(std::move(added.error()));
                          done(outcome);
                        });
  });
}

void place_clients_in_parallel(const std::vector<std::shared_ptr<panel_client>>& clients,
                               std::optional<int64_t> configured, placement_target target,
                               std::vector<client_order> orders,
                               std::function<void(caf::expected<placement_outcome>)> done) {
  auto parts = std::min(clients.size(), orders.size());
  if (parts <= 1)
    return place_clients(clients.front(), configured, target, false, std::move(orders),
                         std::move(done));
  std::vector<std::vector<client_order>> shares(parts);
  for (size_t i = 0; i < orders.size(); ++i)
    shares[i % parts].push_back(std::move(orders[i]));
  // The parts answer on the engine's thread; the lock keeps the merge right on any thread.
  struct merge {
    merge(size_t parts, placement_outcome all_added) : left(parts), outcome(std::move(all_added)) {}
    std::mutex lock;
    size_t left;
    caf::expected<placement_outcome> outcome;
  };
  auto m
      = std::make_shared<merge>(parts, placement_outcome{target.inbound_id, target.protocol, {}});
  for (size_t i = 0; i < parts; ++i)
    place_clients(clients[i], configured, target, false, std::move(shares[i]),
                  [m, done](caf::expected<placement_outcome> part) {
                    std::unique_lock<std::mutex> guard{m->lock};
                    if (!part && m->outcome)
                      m->outcome = std::move(part.error());
                    else if (part && m->outcome)
                      m->outcome->refused.insert(m->outcome->refused.end(), part->refused.begin(),
                                                 part->refused.end());
                    if (--m->left > 0)
                      return;
                    auto outcome = std::move(m->outcome);
                    guard.unlock();
                    done(std::move(outcome));
                  });
}

} // namespace fleet
