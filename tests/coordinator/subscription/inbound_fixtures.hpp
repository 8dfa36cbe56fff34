#pragma once

// Recorded 3X-UI inbounds (tests/fixtures/xui/inbounds/*.json) read the way the coordinator
// reads them: the panel adapter's parser, then the wire profile a passed check carries.

#include "common/panel/xui_api.hpp"
#include "coordinator/subscription/link_profile.hpp"
#include "coordinator/subscription/share_link.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <string>

namespace fleet::test {

/// An inbound's wire profile and its first client as a subscriber.
struct inbound_fixture {
  inbound_profile inbound;
  subscriber user;
};

/// A parsed inbound and its first client.
struct loaded_profile {
  link_profile profile;
  subscriber user;
};

inline nlohmann::json read_fixture(const std::string& name) {
  std::ifstream in(std::string{FLEET_SOURCE_DIR} + "/tests/fixtures/xui/inbounds/" + name
                   + ".json");
  REQUIRE(in.good());
  std::string text{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
  return nlohmann::json::parse(text);
}

inline inbound_fixture load_inbound(const std::string& name) {
  auto raw = read_fixture(name).at("inbound");
  auto list = parse_inbounds(nlohmann::json::array({raw}));
  REQUIRE(list);
  REQUIRE(list->size() == 1);
  const auto& in = list->front();
  inbound_fixture out;
  out.inbound = inbound_profile{in.id,     in.protocol, in.listen,   in.port,
                                in.remark, in.enable,   in.settings, in.stream_settings};
  if (in.clients.empty())
    return out;
  const auto& c = in.clients.front();
  out.user.email = c.email;
  out.user.uuid = in.protocol == "shadowsocks" ? c.uuid : c.key;
  out.user.sub_id = c.sub_id;
  // The adapter keeps neither the flow nor a Shadowsocks client's password.
  auto settings = raw.at("settings");
  if (settings.is_string())
    settings = nlohmann::json::parse(settings.get<std::string>());
  const auto& client = settings.at("clients").at(0);
  out.user.flow = client.value("flow", "");
  if (in.protocol == "shadowsocks")
    out.user.ss_password = client.value("password", "");
  return out;
}

inline loaded_profile load_profile(const std::string& name) {
  auto fixture = load_inbound(name);
  auto profile = read_link_profile(fixture.inbound);
  INFO(name);
  REQUIRE(profile);
  return {std::move(*profile), std::move(fixture.user)};
}

/// The entries of a loaded profile at `host`, remarks as the panel writes them.
inline std::vector<subscription_entry> entries_at(const loaded_profile& p,
                                                  const std::string& host = "de1.example.net") {
  return entries_for(p.profile, host, p.user.email);
}

/// The links of a loaded profile, joined by `\n` as the panel lists one inbound's links.
inline std::string links_of(const loaded_profile& p, const std::string& host = "de1.example.net") {
  std::string out;
  for (const auto& e : entries_at(p, host))
    out += (out.empty() ? "" : "\n") + share_link(e, p.user);
  return out;
}

} // namespace fleet::test
