// Placing batches of clients on fake panels over real loopback HTTP.

#include "common/panel/placement.hpp"
#include "common/random_ids.hpp"
#include "tests/common/panel/panel_test_support.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using namespace fleet::test;

namespace {

client_order order_for(const std::string& email) {
  client_order c;
  c.email = email;
  c.uuid = secure_uuid();
  c.sub_id = "sub-" + email;
  return c;
}

const placement_target vless_inbound{1, "vless"};

/// The fake panels and four sessions of the gen2 one, each with its own login.
struct gen2_sessions {
  fake_fleet fleet;
  http_engine engine;
  std::vector<std::shared_ptr<panel_client>> clients;

  gen2_sessions() {
    for (int i = 0; i < 4; ++i)
      clients.push_back(std::make_shared<panel_client>(engine, fleet.endpoint("gen2")));
  }

  caf::expected<placement_outcome> place_in_parallel(std::vector<client_order> batch) {
    return await<placement_outcome>([&](auto done) {
      place_clients_in_parallel(clients, std::nullopt, vless_inbound, std::move(batch), done);
    });
  }

  [[nodiscard]] size_t vless_clients() { return fleet.server.find("gen2")->clients()["1"].size(); }
};

std::vector<client_order> orders(int n) {
  std::vector<client_order> out;
  for (int i = 0; i < n; ++i)
    out.push_back(order_for("burst" + std::to_string(i)));
  return out;
}

} // namespace

TEST_CASE("a gen2 batch is added over every session at once", "[integration][panel]") {
  gen2_sessions g;
  auto placed = g.place_in_parallel(orders(10));
  INFO((placed ? std::string{} : message_of(placed.error())));
  REQUIRE(placed);
  CHECK(placed->inbound_id == 1);
  CHECK(placed->refused.empty());
  CHECK(g.fleet.counter("gen2", "POST panel/api/clients/add") == 10);
  // Each session logged in for its share.
  CHECK(g.fleet.counter("gen2", "POST login") == 4);
  CHECK(g.vless_clients() == 11);
}

TEST_CASE("a taken email in one share is refused and the other shares are added",
          "[integration][panel]") {
  gen2_sessions g;
  auto batch = orders(7);
  batch[5].email = "gen2-seed-vless"; // the seed client's email, with another key
  auto placed = g.place_in_parallel(batch);
  INFO((placed ? std::string{} : message_of(placed.error())));
  REQUIRE(placed);
  CHECK(placed->refused == std::vector<std::string>{"gen2-seed-vless"});
  CHECK(g.vless_clients() == 7);
}

TEST_CASE("a share that fails fails the batch, and a retry adds only what is missing",
          "[integration][panel]") {
  gen2_sessions g;
  g.fleet.server.find("gen2")->set_fault({"fail_mutations", 0});
  REQUIRE_FALSE(g.place_in_parallel(orders(6)));
  g.fleet.server.find("gen2")->set_fault({"none", 0});
  auto retried = await<placement_outcome>([&](auto done) {
    place_clients(g.clients.front(), std::nullopt, vless_inbound, true, orders(6), done);
  });
  INFO((retried ? std::string{} : message_of(retried.error())));
  REQUIRE(retried);
  CHECK(retried->refused.empty());
  CHECK(g.vless_clients() == 7);
}
