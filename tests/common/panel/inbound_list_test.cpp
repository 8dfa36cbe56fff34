#include "common/panel/inbound_list.hpp"
#include "common/panel/json_cursor.hpp"
#include "tests/common/panel/inbound_difference.hpp"
#include "tests/common/panel/recorded_answer.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace fleet;
using fleet::test::fast_reading_error;

namespace {

using json = nlohmann::json;

/// Every recorded inbound (tests/fixtures/xui/inbounds) as the one inbound of a list
/// answer: settings, streamSettings and sniffing as JSON text (classic) or as objects (gen2).
std::vector<std::string> recorded_inbound_lists(bool as_text) {
  std::vector<std::string> out;
  for (const auto& f : std::filesystem::directory_iterator{FLEET_XUI_FIXTURE_DIR "/inbounds"}) {
    std::ifstream in{f.path()};
    auto inbound = json::parse(in).at("inbound");
    for (const auto* key : {"settings", "streamSettings", "sniffing"})
      if (as_text && inbound.contains(key) && inbound[key].is_object())
        inbound[key] = inbound[key].dump(2);
    out.push_back(json{{"success", true}, {"msg", ""}, {"obj", json::array({inbound})}}.dump());
  }
  return out;
}

std::string file_text(const std::filesystem::path& p) {
  std::ifstream in{p, std::ios::binary};
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// An answer with one inbound of `protocol` whose `settings` member is `settings` (JSON
/// text) and whose `clientStats` is `stats`.
std::string answer(const std::string& settings, const std::string& stats = "[]",
                   const std::string& protocol = "vless") {
  return R"({"success":true,"msg":"","obj":[{"id":1,"protocol":")" + protocol
         + R"(","clientStats":)" + stats + R"(,"settings":)" + settings + "}]}";
}

} // namespace

TEST_CASE("inbound list: recorded answers read as classify and parse_inbounds read them",
          "[unit][panel][xui]") {
  std::vector<std::string> bodies;
  for (const auto* name :
       {"classic/inbounds_list", "gen2/inbounds_list", "gen2/inbounds_list_settings_string"})
    bodies.push_back(test::recorded(name).body);
  for (bool as_text : {true, false})
    for (auto& body : recorded_inbound_lists(as_text))
      bodies.push_back(std::move(body));
  REQUIRE(bodies.size() == 3 + 2 * 21);
  for (const auto& body : bodies) {
    INFO(body.substr(0, 200));
    bool decided = false;
    CHECK(fast_reading_error(body, &decided).empty());
    CHECK(decided);
  }
  auto list = read_inbound_list(test::recorded("classic/inbounds_list").body);
  REQUIRE(list);
  REQUIRE(list->front().clients.size() == 2);
  CHECK(list->front().clients[0].email == "alice");
  CHECK(list->front().clients[0].down == 209'715'200);
}

TEST_CASE("inbound list: the fuzz seeds read alike or are left to the general path",
          "[unit][panel][xui]") {
  int seeds = 0;
  for (const auto& f :
       std::filesystem::directory_iterator{FLEET_SOURCE_DIR "/tests/fuzz/corpus/panel_inbounds"}) {
    INFO(f.path().filename());
    CHECK(fast_reading_error(file_text(f.path())).empty());
    ++seeds;
  }
  CHECK(seeds >= 9);
}

TEST_CASE("inbound list: malformed JSON is never read", "[unit][panel][xui]") {
  auto good = answer(R"({"clients":[{"email":"a","id":"x"}]})");
  REQUIRE(read_inbound_list(good));
  for (const auto& body : std::vector<std::string>{
           good + "x",                                                 // trailing text
           good.substr(0, good.size() - 1),                            // cut short
           answer(R"({"clients":[{"email":"a",}]})"),                  // trailing comma
           answer(R"({"clients":[{"email":"a\q"}]})"),                 // bad escape
           answer(R"({"clients":[{"email":"\ud800"}]})"),              // lone surrogate
           answer(R"({"clients":[{"email":"\udc00\ud800"}]})"),        // reversed pair
           answer("{\"clients\":[{\"email\":\"a\tb\"}]}"),             // raw control char
           answer("{\"clients\":[{\"email\":\"\xC3\x28\"}]}"),         // bad UTF-8
           answer("{\"clients\":[{\"email\":\"\xE0\x80\xAF\"}]}"),     // overlong
           answer("{\"clients\":[{\"email\":\"\xED\xA0\x80\"}]}"),     // encoded surrogate
           answer("{\"clients\":[{\"email\":\"\xF4\x90\x80\x80\"}]}"), // past U+10FFFF
           answer(R"({"clients":[{"totalGB":01}]})"),                  // leading zero
           answer(R"({"clients":[{"totalGB":-}]})"),                   // sign alone
           answer(R"({"clients":[{"totalGB":1.}]})"),                  // no fraction
           answer(R"({"clients":[{"comment":1e999}]})"),               // not finite
           answer(R"({"clients":[{"enable":tru}]})"),                  // cut literal
           "\xEF\xBB\xBF" + good,                                      // byte-order mark
           R"({"success":false,"msg":"nope","obj":[]})",               // refused
           R"({"success":"true","obj":[]})",                           // not a boolean
           R"({"msg":"","obj":[]})",                                   // no success
           R"({"success":true,"obj":{}})",                             // not a list
           R"({"success":true,"obj":[5]})",                            // not an inbound
           R"({"success":true})",                                      // no list
           R"([{"success":true,"obj":[]}])",                           // not an envelope
           "",
       }) {
    INFO(body);
    CHECK_FALSE(read_inbound_list(body));
    CHECK(fast_reading_error(body).empty());
  }
}

TEST_CASE("inbound list: odd but valid answers read as the JSON tree reads them",
          "[unit][panel][xui]") {
  auto stats = R"([{"email":"a","up":1,"down":2,"lastOnline":3,"enable":false},)"
               R"({"email":"a","up":10,"down":20},7,{"email":5,"up":99}])";
  for (
      const auto& body : std::vector<std::string>{
          // Repeated keys: the last one counts.
          answer(R"({"clients":[{"email":"a","email":"b","totalGB":5,"totalGB":"x"}]})"),
          answer(R"({"clients":[{"email":"a"}],"clients":[{"email":"b"}]})"),
          answer(R"({"clients":[{"email":"a"}],"clients":7})"),
          R"({"success":false,"obj":[],"success":true})",
          // Values of another kind read as the default.
          answer(R"({"clients":[{"email":7,"id":null,"enable":"no","expiryTime":[1]}]})"),
          answer(R"({"clients":[5,"x",{"email":"a"},null]})"),
          answer(R"({"clients":{}})"),
          answer("7"),
          answer("null"),
          answer(R"("[1, 2]")"),
          // Integers past int64 read as 0, as int_of reads them.
          answer(
              R"({"clients":[{"totalGB":9223372036854775807,"expiryTime":-9223372036854775808}]})"),
          answer(
              R"({"clients":[{"totalGB":9223372036854775808,"expiryTime":-9223372036854775809}]})"),
          answer(R"({"clients":[{"totalGB":123456789012345678901234567890}]})"),
          // Floats and exponents where nothing is read from them.
          answer(R"({"clients":[{"email":"a","ratio":-0.5e-3}],"x":1E+2})"),
          // Escapes, in keys too, and UTF-8.
          answer(R"({"clients":[{"em\u0061il":"\u00e9\ud83d\ude00\/\"\\\b\f\n\r\t"}]})"),
          answer("{\"clients\":[{\"email\":\"\xD0\xB8\xE2\x82\xAC\xF0\x9F\x98\x80\"}]}"),
          // Traffic joined by email: the last entry of an email counts, only objects count.
          answer(R"({"clients":[{"email":"a"},{"email":""}]})", stats),
          answer(R"({"clients":[{"email":"a"}]})", "null"),
          answer(R"({"clients":[{"email":"a"}]})", R"({"email":"a"})"),
          // The protocol key, whatever the order of the members.
          answer(R"({"clients":[{"email":"a","password":"pw","id":"u"}]})", "[]", "trojan"),
          answer(R"({"clients":[{"email":"a","auth":"s3"}]})", "[]", "hysteria2"),
          answer(R"({"clients":[{"email":"a","method":"m"}]})", "[]", "shadowsocks"),
          R"({"success":true,"obj":[{"settings":{"clients":[{"email":"a","password":"p"}]},)"
          R"("protocol":"trojan","clientStats":[{"email":"a","up":4}]}]})",
          // Settings members kept (sorted, repeated ones last), streamSettings as text.
          answer(R"({"z":[1,{"b":2,"a":1}],"clients":[],"a":"x","a":"y","d":null})"),
          R"({"success":true,"obj":[{"streamSettings":"{\"network\": \"ws\"}"},)"
          R"({"streamSettings":"not json"},{"streamSettings":[1]},{"streamSettings":{"b":1,"a":2}}]})",
          R"({"success":true,"obj":[]})",
          " \r\n\t{ \"success\" : true , \"obj\" : [ ] } \n",
      }) {
    INFO(body);
    bool decided = false;
    CHECK(fast_reading_error(body, &decided).empty());
    CHECK(decided);
  }
}

TEST_CASE("inbound list: forms left to the general path still read alike there",
          "[unit][panel][xui]") {
  for (const auto& body : std::vector<std::string>{
           answer(R"({"clients":[{"email":"a","totalGB":1.5}]})"), // a float read
           answer(R"("{\"clients\": []} trailing")"),              // settings text + more
           answer(R"("")"),                                        // empty settings text
           answer(std::string(70, '[') + std::string(70, ']')),    // deep nesting
       }) {
    INFO(body);
    CHECK_FALSE(read_inbound_list(body));
    http_response r;
    r.status = 200;
    r.body = body;
    auto list = classic_adapter().read_inbounds(r);
    REQUIRE(list);
    CHECK(list->size() == 1);
  }
  http_response refused;
  refused.status = 200;
  refused.body = R"({"success":false,"msg":"record not found"})";
  auto list = gen2_adapter().read_inbounds(refused);
  REQUIRE_FALSE(list);
  CHECK(code_of(list.error()) == ec::not_found);
}

TEST_CASE("json cursor: reads values of the kind asked for and fails for good otherwise",
          "[unit][panel][xui]") {
  json_cursor in{R"( {"a": [1, "x", true, null, {"b": -2.5}], "c": "\u0041"} )"};
  std::vector<std::string> seen;
  auto read = in.object([&](std::string_view k) {
    seen.emplace_back(k);
    if (k == "c") {
      std::string s;
      return in.string(s) && s == "A";
    }
    return in.array([&] {
      std::string_view text;
      return in.skip(text) && !text.empty();
    });
  });
  CHECK(read);
  CHECK(in.at_end());
  CHECK(seen == std::vector<std::string>{"a", "c"});
  json_cursor wrong{R"("text")"};
  bool b = false;
  CHECK_FALSE(wrong.boolean(b));
  CHECK(wrong.failed());
  CHECK(wrong.peek() == json_cursor::kind::none);
  std::string s;
  CHECK_FALSE(wrong.string(s));
}
