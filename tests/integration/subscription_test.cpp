// The fleet subscription endpoint over real loopback HTTP, in front of fake panels with
// REALITY, TLS and ws inbounds: the coordinator's links match the panel's own for the same
// client, misses all look alike, and after an evacuation the subscription lists the new
// panel only.

#include "coordinator/api/subscription_api.hpp"
#include "tests/integration/running_fleet.hpp"
#include "tests/support/share_links.hpp"

#include <httplib.h>

using namespace fleet;
using namespace fleet::test;

namespace {

/// A running fleet of showcase panels (each with its own subscription listener) and the
/// coordinator's subscription endpoint on a free port. Users reach panel `x` as
/// `x.example.net`.
struct sub_fleet {
  test::temp_dir dir;
  running_fleet fleet;
  std::unique_ptr<subscription_api> subs;

  explicit sub_fleet(std::function<void(fleet_config&)> adjust = {})
      : fleet{dir.str(),
              [adjust](fleet_config& c) {
                c.coordinator.subscription_listen = "127.0.0.1:0";
                c.coordinator.subscription_title = "Fleet VPN";
                c.coordinator.subscription_rate_limit = 0; // the tests poll
                for (auto& s : c.servers) {
                  s.public_host = s.id + ".example.net";
                  s.client_flow = "xtls-rprx-vision";
                }
                if (adjust)
                  adjust(c);
              },
              [](fake::panel_options& p) {
                p.inbounds = "showcase";
                p.sub_port = 0;
                p.sub_host = p.name + ".example.net";
              }} {
    subs = std::make_unique<subscription_api>(fleet.config, *fleet.sys, fleet.coord);
    REQUIRE_FALSE(subs->start());
    for (const auto* id : {"a", "b", "c"})
      REQUIRE(fleet.wait_for_state(id, server_state::healthy, 5s) >= 0ms);
  }

  ~sub_fleet() { subs.reset(); }

  httplib::Result get(const std::string& path, const std::string& agent = "v2rayN/6.42") {
    httplib::Client c{"127.0.0.1", subs->port()};
    return c.Get(path, httplib::Headers{{"User-Agent", agent}});
  }

  /// The decoded links of the coordinator's subscription `sub_id`.
  std::vector<std::string> links(const std::string& sub_id) {
    auto r = get("/sub/" + sub_id);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return lines_of(base64_decode(r->body));
  }

  /// The decoded links of the panel's own subscription `sub_id`.
  std::vector<std::string> panel_links(const std::string& panel, const std::string& sub_id) {
    httplib::Client c{"127.0.0.1", *fleet.panels.find(panel)->options().sub_port};
    auto r = c.Get("/sub/" + sub_id);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return lines_of(base64_decode(r->body));
  }

  static std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < text.size()) {
      auto end = std::min(text.find('\n', pos), text.size());
      if (end > pos)
        out.push_back(text.substr(pos, end - pos));
      pos = end + 1;
    }
    return out;
  }
};

} // namespace

TEST_CASE("a user's subscription lists their panel's inbound as the panel itself writes it",
          "[integration][subscription]") {
  sub_fleet f;
  client_record c;
  REQUIRE(create(f.fleet, user(7, "a"), &c) == "a");
  REQUIRE(eventually([&] { return f.get("/sub/" + c.sub_id)->status == 200; }));
  auto ours = f.links(c.sub_id);
  auto theirs = f.panel_links("a", c.sub_id);
  REQUIRE(ours.size() == 1);
  REQUIRE(theirs.size() == 1);
  auto mine = parse_link(ours[0]);
  auto panel = parse_link(theirs[0]);
  CHECK(mine.scheme == "vless");
  CHECK(mine.user == c.uuid);
  CHECK(mine.user == panel.user);
  CHECK(mine.host == "a.example.net");
  CHECK(mine.host == panel.host);
  CHECK(mine.port == panel.port);
  CHECK(mine.query.at("security") == "reality");
  CHECK(mine.query.at("flow") == "xtls-rprx-vision");
  // The panel picks the REALITY server name and short id at random, the coordinator the
  // first of each: equal lists, so compare every other field exactly.
  for (const auto& [key, value] : panel.query) {
    if (key == "sni" || key == "sid")
      continue;
    INFO("query field " << key);
    REQUIRE(mine.query.count(key) == 1);
    CHECK(mine.query.at(key) == value);
  }
  CHECK(mine.query.size() == panel.query.size());
  CHECK_FALSE(mine.query.at("sni").empty());
  CHECK_FALSE(mine.query.at("sid").empty());

  auto r = f.get("/sub/" + c.sub_id);
  CHECK(r->get_header_value("Subscription-Userinfo") == "upload=0; download=0; total=0; expire=0");
  CHECK(r->get_header_value("Profile-Update-Interval") == "12");
  CHECK(r->get_header_value("Profile-Title") == "base64:RmxlZXQgVlBO");
  CHECK_THAT(r->get_header_value("Content-Disposition"), Catch::StartsWith("attachment;"));

  // The format follows the path suffix, or else the client's User-Agent.
  auto clash = f.get("/sub/" + c.sub_id, "clash-verge/v2.0.3");
  CHECK(clash->status == 200);
  CHECK_THAT(clash->get_header_value("Content-Type"), Catch::StartsWith("application/yaml"));
  CHECK_THAT(clash->body, Catch::Contains(c.uuid) && Catch::Contains("reality-opts"));
  auto singbox = f.get("/sub/" + c.sub_id + "/singbox");
  CHECK(singbox->status == 200);
  auto config = nlohmann::json::parse(singbox->body);
  CHECK(config.contains("outbounds"));
  CHECK_THAT(singbox->body, Catch::Contains(c.uuid));
}

TEST_CASE("every miss is the same empty 404", "[integration][subscription]") {
  sub_fleet f;
  client_record c;
  REQUIRE(create(f.fleet, user(8, "b"), &c) == "b");
  for (const auto& path : {std::string{"/sub/unknownsubid00001"}, std::string{"/sub/%00%ff"},
                           std::string{"/sub/"}, std::string{"/sub/" + c.sub_id + "/nope"},
                           std::string{"/sub/a/b/c"}, std::string{"/other"}}) {
    auto r = f.get(path);
    REQUIRE(r);
    INFO(path);
    CHECK(r->status == 404);
    CHECK(r->body.empty());
  }
}

TEST_CASE("subscriptions are limited per source address", "[integration][subscription]") {
  sub_fleet f{[](fleet_config& c) { c.coordinator.subscription_rate_limit = 1.0; }};
  int limited = 0;
  for (int i = 0; i < 15; ++i) {
    auto r = f.get("/sub/unknownsubid00001");
    REQUIRE(r);
    if (r->status == 429) {
      ++limited;
      CHECK_FALSE(r->get_header_value("Retry-After").empty());
    }
  }
  // A burst of ten passes, the rest within the same second does not.
  CHECK(limited >= 4);
}

TEST_CASE("after an evacuation the subscription lists only the new panel",
          "[integration][subscription][evacuation]") {
  sub_fleet f{[](fleet_config& c) { c.management.evacuate_after = 800ms; }};
  client_record c;
  REQUIRE(create(f.fleet, user(9, "a"), &c) == "a");
  REQUIRE(eventually([&] { return f.get("/sub/" + c.sub_id)->status == 200; }));
  CHECK(parse_link(f.links(c.sub_id).at(0)).host == "a.example.net");

  REQUIRE(f.fleet.panels.set_down("a", true));
  REQUIRE(f.fleet.wait_for_state("a", server_state::unhealthy, 3s) >= 0ms);
  // Dead and not moved yet: no link to a dead panel, and nothing a client would replace its
  // configuration with.
  auto meanwhile = f.get("/sub/" + c.sub_id);
  if (meanwhile->status != 200) {
    CHECK(meanwhile->status == 503);
    CHECK(meanwhile->body.empty());
  }
  REQUIRE(eventually(
      [&] {
        auto r = f.get("/sub/" + c.sub_id);
        return r && r->status == 200
               && parse_link(sub_fleet::lines_of(base64_decode(r->body)).at(0)).host
                      != "a.example.net";
      },
      8s));
  auto moved = f.fleet.db->client(c.email);
  REQUIRE(moved);
  REQUIRE(moved->has_value());
  auto links = f.links(c.sub_id);
  REQUIRE(links.size() == 1);
  auto link = parse_link(links[0]);
  CHECK(link.user == c.uuid);
  CHECK(link.host == (*moved)->server_id + ".example.net");
  // The new panel's own subscription serves the same client under the same sub_id.
  auto theirs = f.panel_links((*moved)->server_id, c.sub_id);
  REQUIRE(theirs.size() == 1);
  CHECK(parse_link(theirs[0]).user == c.uuid);
}
