#pragma once

// The pieces of `read_link_profile`: each reads one part of an inbound's `streamSettings`
// into its `link_profile`. Internal to the subscription library.

#include "coordinator/subscription/link_profile.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace fleet::subscription_detail {

/// `obj[key]` when `obj` is an object holding a string there, else `""`.
[[nodiscard]] std::string string_at(const nlohmann::json& obj, const char* key);

/// `obj[key]` when `obj` is an object holding an object there, else an empty object.
[[nodiscard]] const nlohmann::json& object_at(const nlohmann::json& obj, const char* key);

/// The transport fields of `stream` for `out.network`.
void read_transport(const nlohmann::json& stream, bool raw_name, link_profile& out);

/// `tlsSettings` into `out.tls`, `realitySettings` into `out.reality`.
void read_tls(const nlohmann::json& stream, link_profile& out);
void read_reality(const nlohmann::json& stream, link_profile& out);

/// `finalmask` into `out.finalmask` (and a kcp header type or seed it carries).
void read_finalmask(const nlohmann::json& stream, link_profile& out);

/// `externalProxy` into `out.external_proxies`; returns a reason when an entry has no
/// destination or port.
[[nodiscard]] std::string read_external_proxies(const nlohmann::json& stream, link_profile& out);

} // namespace fleet::subscription_detail
