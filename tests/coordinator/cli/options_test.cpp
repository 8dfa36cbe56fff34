#include "coordinator/cli/options.hpp"

#include <catch2/catch.hpp>

using namespace fleet;

TEST_CASE("the command line parses config and modes", "[unit][cli]") {
  auto opts = parse_options({"--config", "f.json", "--check-config"});
  REQUIRE(opts);
  CHECK(opts->config_path == "f.json");
  CHECK(opts->check_config);
  CHECK(parse_options({"-c", "x", "-t"})->check_config);
  CHECK(parse_options({"--config=y.json"})->config_path == "y.json");
  CHECK(parse_options({"--help"})->help);
}

TEST_CASE("bad command lines name the problem", "[unit][cli]") {
  CHECK(message_of(parse_options({"--bogus"}).error()) == "unknown option --bogus; see --help");
  CHECK(message_of(parse_options({"--config"}).error()) == "--config needs a file name");
  CHECK(message_of(parse_options({}).error()) == "--config FILE is required; see --help");
}
