// The emulator's latency (concurrent requests wait side by side) and its no-lock addClient
// (concurrent adds to one inbound lose clients, as on v2.x/v3.0 panels), over HTTP.

#include "tests/tools/fake_xui/served_panel.hpp"
#include "tools/fake_xui/panel_options_parser.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace fleet::fake;
using fleet::fake::test::body_of;
using fleet::fake::test::served;
using namespace std::chrono_literals;

namespace {

const httplib::Headers bearer{{"Authorization", "Bearer tok"}};

/// Runs `call(i)` for i = 0..n-1, each on a thread of its own, all at once; returns how long
/// the slowest took.
std::chrono::milliseconds side_by_side(int n, const std::function<void(int)>& call) {
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back(call, i);
  for (auto& t : threads)
    t.join();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now()
                                                               - t0);
}

/// addClient of one vless client `email` to inbound 1 over its own connection; true on
/// success.
bool add_one(uint16_t port, const std::string& email, int i) {
  httplib::Client c{"127.0.0.1", port};
  c.set_read_timeout(30, 0);
  auto settings
      = nlohmann::json{{"clients",
                        {{{"id", "00000000-0000-4000-8000-" + std::to_string(100'000'000'000 + i)},
                          {"email", email}}}}};
  auto body = nlohmann::json{{"id", 1}, {"settings", settings.dump()}};
  auto r = c.Post("/secret/panel/api/inbounds/addClient", bearer, body.dump(), "application/json");
  return r && r->status == 200 && body_of(r)["success"] == true;
}

/// Emails of inbound 1 as the panel lists them.
size_t clients_of_first_inbound(served& s) {
  auto r = s.client().Get("/secret/panel/api/inbounds/get/1", bearer);
  REQUIRE(r);
  auto settings = nlohmann::json::parse(body_of(r)["obj"]["settings"].get<std::string>());
  return settings["clients"].size();
}

} // namespace

TEST_CASE("latency and no_lock are panel settings and flags", "[unit][fake]") {
  auto cl = parse_command_line(
      {"--panel", "name=a,latency=50,no_lock=1", "--panels", "2", "--latency", "7", "--no-lock"});
  REQUIRE(cl.error.empty());
  REQUIRE(cl.panels.size() == 3);
  CHECK(cl.panels[0].latency == 50ms);
  CHECK(cl.panels[0].no_lock);
  CHECK(cl.panels[1].latency == 7ms);
  CHECK(cl.panels[2].no_lock);
  auto plain = parse_command_line({"--panels", "1"});
  CHECK(plain.panels[0].latency == 0ms);
  CHECK_FALSE(plain.panels[0].no_lock);
  CHECK(parse_command_line({"--panel", "latency=-1"}).error == "latency -1 is not 0..600000 ms");
  CHECK(parse_command_line({"--panel", "no_lock=yes"}).error == "no_lock yes is not 0 or 1");
  CHECK(parse_command_line({"--panels", "1", "--latency", "x"}).error
        == "latency x is not 0..600000 ms");
}

TEST_CASE("every request waits the latency, and concurrent requests wait side by side",
          "[integration][fake]") {
  served s{api_profile::classic_csrf, [](panel_options& p) { p.latency = 1000ms; }};
  CHECK(s.server.describe()["panels"][0]["latency_ms"] == 1000);
  // 256 requests at once, each on a connection of its own: all of them are in flight
  // together (one after another, or 64 at a time, would take 4 s or more).
  constexpr int n = 256;
  std::vector<int> ok(n, 0);
  auto took = side_by_side(n, [&](int i) {
    httplib::Client c{"127.0.0.1", s.options().port};
    c.set_read_timeout(30, 0);
    auto r = c.Get("/secret/panel/api/server/status", bearer);
    ok[static_cast<size_t>(i)] = r && r->status == 200 ? 1 : 0;
  });
  CHECK(std::count(ok.begin(), ok.end(), 1) == n);
  CHECK(took >= 1000ms);
  CHECK(took < 3000ms);
  CHECK(s.server.find("p")->counters()["GET panel/api/server/status"] == n);
}

TEST_CASE("concurrent adds to one inbound keep every client on a locking panel",
          "[integration][fake]") {
  served s{api_profile::classic_csrf, [](panel_options& p) { p.latency = 400ms; }};
  constexpr int n = 8;
  std::vector<int> ok(n, 0);
  side_by_side(n, [&](int i) {
    ok[static_cast<size_t>(i)] = add_one(s.options().port, "c" + std::to_string(i), i) ? 1 : 0;
  });
  CHECK(std::count(ok.begin(), ok.end(), 1) == n);
  // The seed client and all eight.
  CHECK(clients_of_first_inbound(s) == 1 + n);
}

TEST_CASE("concurrent adds to one inbound lose clients on a no-lock panel, sequential ones do "
          "not",
          "[integration][fake]") {
  served s{api_profile::classic_csrf, [](panel_options& p) {
             p.latency = 400ms;
             p.no_lock = true;
           }};
  CHECK(s.server.describe()["panels"][0]["no_lock"] == true);
  auto port = s.options().port;
  // One after another, each add reads what the one before wrote.
  REQUIRE(add_one(port, "first", 100));
  REQUIRE(add_one(port, "second", 101));
  REQUIRE(clients_of_first_inbound(s) == 3);
  // At once, every add reads the same three clients; each acknowledges, the last write wins.
  constexpr int n = 8;
  std::vector<int> ok(n, 0);
  auto took = side_by_side(n, [&](int i) {
    ok[static_cast<size_t>(i)] = add_one(port, "c" + std::to_string(i), i) ? 1 : 0;
  });
  CHECK(std::count(ok.begin(), ok.end(), 1) == n);
  CHECK(took >= 400ms);
  auto kept = clients_of_first_inbound(s);
  CHECK(kept >= 4);
  CHECK(kept < 3 + n);
  // The lost clients' traffic rows stay, as on the real panel.
  auto r = s.client().Get("/secret/panel/api/inbounds/list", bearer);
  REQUIRE(r);
  std::set<std::string> rows;
  auto listed = body_of(r);
  for (const auto& t : listed["obj"][0]["clientStats"])
    rows.insert(t["email"].get<std::string>());
  for (int i = 0; i < n; ++i)
    CHECK(rows.count("c" + std::to_string(i)) == 1);
}
