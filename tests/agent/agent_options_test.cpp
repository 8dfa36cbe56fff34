#include "agent/agent_options.hpp"
#include "agent/reconnect_backoff.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace fleet;

TEST_CASE("the agent's command line", "[unit][agent]") {
  auto opts = parse_agent_options({"--config", "a.json", "--check-config"});
  REQUIRE(opts);
  CHECK(opts->config_path == "a.json");
  CHECK(opts->check_config);
  CHECK_FALSE(opts->speak_protocol);
  CHECK(parse_agent_options({"-c", "a.json", "--speak-protocol", "7"})->speak_protocol == 7u);
  CHECK(message_of(parse_agent_options({"-c", "a", "--speak-protocol", "x"}).error())
        == "--speak-protocol needs a version number");
  CHECK(message_of(parse_agent_options({"--data-dir", "d"}).error())
        == "unknown option --data-dir; see --help");
  CHECK(message_of(parse_agent_options({}).error()) == "--config FILE is required; see --help");
}

TEST_CASE("reconnect delays double up to the cap and are spread", "[unit][agent]") {
  std::mt19937_64 rng{42};
  const millis first{250};
  const millis cap{10'000};
  auto within = [](millis got, int64_t base) {
    return got.count() >= base * 8 / 10 && got.count() <= base * 12 / 10;
  };
  CHECK(within(reconnect_delay(0, first, cap, rng), 250));
  CHECK(within(reconnect_delay(1, first, cap, rng), 500));
  CHECK(within(reconnect_delay(3, first, cap, rng), 2'000));
  CHECK(within(reconnect_delay(6, first, cap, rng), 10'000));
  CHECK(within(reconnect_delay(1'000, first, cap, rng), 10'000));
  // Agents cut off together do not all come back at the same moment.
  std::set<int64_t> spread;
  for (int i = 0; i < 20; ++i)
    spread.insert(reconnect_delay(4, first, cap, rng).count());
  CHECK(spread.size() > 10);
}
