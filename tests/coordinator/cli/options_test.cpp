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

TEST_CASE("the backup modes take their directories and numbers", "[unit][cli]") {
  auto backup = parse_options({"-c", "f", "--backup", "/b", "--keep", "3"});
  REQUIRE(backup);
  CHECK(backup->backup_dir == "/b");
  CHECK(backup->keep == 3u);
  auto restore
      = parse_options({"-c", "f", "--restore", "/b", "--data-dir", "new", "--backup-id", "4"});
  REQUIRE(restore);
  CHECK(restore->restore_dir == "/b");
  CHECK(restore->data_dir == "new");
  CHECK(restore->backup_id == 4);
  auto verify = parse_options({"-c", "f", "--verify-backup", "/b"});
  REQUIRE(verify);
  CHECK(verify->verify_dir == "/b");
  CHECK(verify->backup_id == 0);
}

TEST_CASE("backup flags that do not fit are refused naming them", "[unit][cli]") {
  auto error_of = [](std::vector<std::string> args) {
    args.insert(args.begin(), {"-c", "f"});
    auto opts = parse_options(args);
    REQUIRE_FALSE(opts);
    return message_of(opts.error());
  };
  CHECK(error_of({"--backup"}) == "--backup needs a directory");
  CHECK(error_of({"--backup", "/b", "--keep", "0"})
        == "--keep: expected a whole number from 1 to 1000, got \"0\"");
  CHECK(error_of({"--restore", "/b", "--backup-id", "x"})
        == "--backup-id: expected a whole number from 1 to 4294967295, got \"x\"");
  CHECK(error_of({"--backup", "/b", "--restore", "/c"})
        == "--backup, --restore and --verify-backup exclude each other");
  CHECK(error_of({"--backup", "/b", "--backup-id", "2"})
        == "--backup-id goes with --restore or --verify-backup");
  CHECK(error_of({"--verify-backup", "/b", "--keep", "2"}) == "--keep goes with --backup");
}
