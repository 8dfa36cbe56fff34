// A backup of a store left by a crash, restored elsewhere: the coordinator started on the
// restored store resolves its open intents by asking the panels, as after any restart.

#include "coordinator/store/backups.hpp"
#include "tests/integration/running_fleet.hpp"

using namespace fleet;
using namespace fleet::test;

TEST_CASE("a restored backup's open intents are resolved at start, like after a crash",
          "[integration][backup]") {
  test::temp_dir dir;
  auto data = (dir.path() / "data").string();
  auto backups = (dir.path() / "backups").string();
  running_fleet fleet{data};
  REQUIRE(fleet.wait_for_state("a", server_state::healthy, 3s) >= 0ms);
  client_record made;
  REQUIRE(create(fleet, user(1, "a"), &made) == "a");
  fleet.stop();
  {
    // The store a crash leaves: a create that reached its panel but not its record, and
    // one that never left.
    auto crashed = store::open(data);
    REQUIRE(crashed);
    REQUIRE_FALSE((*crashed)->erase_client(made.email));
    auto lost = made;
    lost.email = "never-sent";
    for (const auto& c : {made, lost}) {
      intent_record intent;
      intent.kind = "create";
      intent.email = c.email;
      intent.server_id = "a";
      intent.client = c;
      REQUIRE((*crashed)->begin_intent(intent));
    }
    auto taken = (*crashed)->back_up(backups, 0);
    REQUIRE(taken);
    CHECK(taken->counts.intents == 2);
  }
  auto restored = (dir.path() / "restored").string();
  REQUIRE(restore_backup(backups, 0, restored));

  fleet.start(restored);
  CHECK(eventually([&] { return fleet.db->open_intents()->empty(); }));
  auto back = fleet.db->client(made.email);
  REQUIRE(back);
  REQUIRE(back->has_value());
  CHECK((*back)->uuid == made.uuid);
  CHECK((*back)->server_id == "a");
  CHECK_FALSE(fleet.db->client("never-sent")->has_value());
  CHECK(on_panel(fleet, "a", made.email));
  CHECK_FALSE(on_panel(fleet, "a", "never-sent"));
}
