#include "common/json_reader.hpp"

#include <catch2/catch.hpp>

using namespace fleet;
using nlohmann::json;

TEST_CASE("ids accept the original integers and strings and round-trip", "[unit]") {
  CHECK(id_from_json(json(3)).value() == "3");
  CHECK(id_from_json(json("de-1")).value() == "de-1");
  CHECK_FALSE(id_from_json(json(-1)));
  CHECK_FALSE(id_from_json(json(1.5)));
  CHECK_FALSE(id_from_json(json::array()));
  CHECK(id_to_json("3") == json(3));
  CHECK(id_to_json("de-1") == json("de-1"));
  CHECK(id_to_json("007") == json("007"));
  CHECK(id_to_json("0") == json(0));
}

TEST_CASE("the reader reports every bad field with its path and keeps defaults", "[unit]") {
  auto doc = json::parse(R"({"a": "x", "b": 70000, "c": "yes", "d": [1], "e": "5q"})");
  field_problems problems;
  json_reader r{doc, "root", problems};
  int64_t b = 7;
  bool c = true;
  std::vector<std::string> d{"keep"};
  millis e{1};
  std::string missing;
  r.integer("b", b, 1, 65535);
  r.boolean("c", c);
  r.strings("d", d);
  r.duration("e", e);
  r.string("z", missing, true);
  REQUIRE(problems.size() == 5);
  CHECK(problems[0].to_string() == "root.b: 70000 is out of range 1..65535");
  CHECK(problems[1].to_string() == "root.c: expected true or false, got string");
  CHECK(problems[2].to_string() == "root.d[0]: expected a string, got integer");
  CHECK_THAT(problems[3].to_string(), Catch::StartsWith("root.e: \"5q\" is not a duration"));
  CHECK(problems[4].to_string() == "root.z: missing");
  CHECK(b == 7);
  CHECK(c);
  CHECK(d == std::vector<std::string>{"keep"});
  CHECK(e == millis{1});
}

TEST_CASE("unknown fields become warnings, not errors", "[unit]") {
  auto doc = json::parse(R"({"known": 1, "typo": 2})");
  field_problems problems;
  json_reader r{doc, "x", problems};
  r.warn_unknown({"known"});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].level == field_problem::severity::warning);
  CHECK(problems[0].field == "x.typo");
  CHECK_FALSE(has_errors(problems));
}

TEST_CASE("a non-object is reported once", "[unit]") {
  auto doc = json::parse("[1,2]");
  field_problems problems;
  json_reader r{doc, "server_management", problems};
  std::string s;
  r.string("x", s, true);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].to_string() == "server_management: expected an object, got array");
}
