#include "common/panel/panel_operations.hpp"

#include "common/text.hpp"

#include <memory>
#include <set>

namespace fleet {

void locate_client(std::shared_ptr<panel_client> client, std::string email,
                   panel_callback<std::optional<located_client>> done) {
  client->inbounds(
      [email = ascii_lower(std::move(email)), done](caf::expected<std::vector<panel_inbound>> all) {
        if (!all)
          return done(std::move(all.error()));
        for (const auto& in : *all)
          for (const auto& c : in.clients)
            if (ascii_lower(c.email) == email)
              return done(std::optional<located_client>{located_client{in.id, in.protocol, c}});
        done(std::optional<located_client>{});
      });
}

void amend_client(std::shared_ptr<panel_client> client, client_order order,
                  panel_callback<int64_t> done) {
  auto email = order.email;
  locate_client(
      client, email,
      [client, order = std::move(order), done](caf::expected<std::optional<located_client>> found) {
        if (!found)
          return done(std::move(found.error()));
        if (!found->has_value())
          return done(
              make_error(ec::not_found, "update client: the panel has no client " + order.email));
        const auto& at = **found;
        // The panel's own key and sub_id stay; the order sets the limits and the flag.
        auto c = order;
        c.email = at.info.email;
        c.uuid = at.info.key;
        c.sub_id = at.info.sub_id;
        auto inbound = at.inbound_id;
        client->update_client(client_ref{inbound, at.info.email, at.info.key}, at.protocol,
                              std::move(c), [inbound, done](caf::expected<caf::unit_t> updated) {
                                if (!updated)
                                  return done(std::move(updated.error()));
                                done(inbound);
                              });
      });
}

void remove_client(std::shared_ptr<panel_client> client, std::string email,
                   panel_callback<bool> done) {
  locate_client(client, std::move(email),
                [client, done](caf::expected<std::optional<located_client>> found) {
                  if (!found)
                    return done(std::move(found.error()));
                  if (!found->has_value())
                    return done(false);
                  const auto& at = **found;
                  client->delete_client(client_ref{at.inbound_id, at.info.email, at.info.key},
                                        [done](caf::expected<caf::unit_t> deleted) {
                                          if (!deleted)
                                            return done(std::move(deleted.error()));
                                          done(true);
                                        });
                });
}

namespace {

void delete_next(std::shared_ptr<panel_client> client,
                 std::shared_ptr<std::vector<client_ref>> refs, size_t next,
                 panel_callback<int64_t> done) {
  if (next == refs->size())
    return done(static_cast<int64_t>(refs->size()));
  client->delete_client((*refs)[next], [client, refs, next, done](caf::expected<caf::unit_t> r) {
    if (!r)
      return done(std::move(r.error()));
    delete_next(client, refs, next + 1, done);
  });
}

} // namespace

void remove_clients(std::shared_ptr<panel_client> client, std::vector<std::string> emails,
                    panel_callback<int64_t> done) {
  std::set<std::string> wanted;
  for (auto& e : emails)
    wanted.insert(ascii_lower(e));
  client->inbounds(
      [client, wanted = std::move(wanted), done](caf::expected<std::vector<panel_inbound>> all) {
        if (!all)
          return done(std::move(all.error()));
        auto refs = std::make_shared<std::vector<client_ref>>();
        for (const auto& in : *all)
          for (const auto& c : in.clients)
            if (wanted.count(ascii_lower(c.email)) > 0)
              refs->push_back(client_ref{in.id, c.email, c.key});
        delete_next(client, refs, 0, done);
      });
}

void read_usage(std::shared_ptr<panel_client> client, std::string email,
                panel_callback<client_usage> done) {
  client->client_traffic(email, std::move(done));
}

void read_inventory(std::shared_ptr<panel_client> client,
                    panel_callback<std::vector<panel_entry>> done) {
  client->inbounds([done](caf::expected<std::vector<panel_inbound>> all) {
    if (!all)
      return done(std::move(all.error()));
    std::vector<panel_entry> out;
    for (const auto& in : *all)
      for (const auto& c : in.clients)
        out.push_back(panel_entry{c.email, in.id, c.key, c.enable});
    done(std::move(out));
  });
}

} // namespace fleet
